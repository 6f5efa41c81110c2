package io.influxbak.consistency;

import io.influxbak.consistency.Finding.Severity;
import io.influxbak.layout.InternalFraming;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.snapshot.SnapshotFile;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The consistency rules for a node's WAL files after its newest snapshot. */
final class WalFiles {
  private WalFiles() {}

  /** Checks the WAL files after the newest snapshot; returns how many there are. */
  static long check(
      ObjectReader store,
      KeyPrefix root,
      Map<ObjectKind, List<NodeObject>> byKind,
      Optional<SnapshotFile> newest,
      List<Finding> findings)
      throws IOException {
    long pin = newest.map(SnapshotFile::walFileSequence).orElse(0L);
    List<NodeObject> after = new ArrayList<>();
    for (NodeObject wal : byKind.getOrDefault(ObjectKind.WAL, List.of())) {
      if (Long.compareUnsigned(wal.sequence().getAsLong(), pin) > 0) {
        after.add(wal);
      }
    }
    after.sort((a, b) -> Long.compareUnsigned(a.sequence().getAsLong(), b.sequence().getAsLong()));
    long expected = -1;
    for (NodeObject wal : after) {
      long sequence = wal.sequence().getAsLong();
      if (expected >= 0 && sequence != expected) {
        findings.add(
            new Finding(
                Severity.WARNING,
                wal.key(),
                "WAL gap: files "
                    + expected
                    + " to "
                    + (sequence - 1)
                    + " are absent (the server tolerates gaps)"));
      }
      expected = sequence + 1;
      InternalFraming.problem(ObjectKind.WAL, ConsistencyCheck.read(store, root.resolve(wal.key())))
          .ifPresent(
              p ->
                  findings.add(
                      new Finding(
                          Severity.WARNING,
                          wal.key(),
                          p + "; the server skips this WAL file and its writes")));
    }
    if (!after.isEmpty()) {
      findings.add(
          new Finding(
              Severity.INFO,
              after.get(after.size() - 1).key(),
              after.size() + " WAL file(s) hold writes newer than the snapshot"));
    }
    return after.size();
  }
}
