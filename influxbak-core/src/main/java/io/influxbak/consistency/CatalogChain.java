package io.influxbak.consistency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxbak.consistency.Finding.Severity;
import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.InternalFraming;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.snapshot.SnapshotFile;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The catalog part of a consistency check: which catalog generation is live (the newest present),
 * that its checkpoint exists and reads, that its logs after the checkpoint run without gaps, carry
 * the checkpoint's catalog UUID and the sequence their names give (3.10+ headers), that older
 * generations end with the upgrade marker, and that the catalog reaches every snapshot's catalog
 * sequence.
 */
final class CatalogChain {
  /**
   * Made on the first read of a JSON catalog's sequence (3.0 to 3.9), not when the class loads: the
   * mapper's classes cost a cold command-line run about a tenth of a second to load.
   */
  private static final class Reader {
    static final ObjectMapper JSON = new ObjectMapper();
  }

  private CatalogChain() {}

  static void check(
      ObjectReader store,
      KeyPrefix root,
      Map<ObjectKind, List<NodeObject>> byKind,
      List<SnapshotFile> snapshots,
      List<Finding> findings)
      throws IOException {
    Map<CatalogGeneration, List<NodeObject>> logs = new EnumMap<>(CatalogGeneration.class);
    Map<CatalogGeneration, NodeObject> checkpoints = new EnumMap<>(CatalogGeneration.class);
    for (NodeObject log : byKind.getOrDefault(ObjectKind.CATALOG_LOG, List.of())) {
      logs.computeIfAbsent(log.catalogGeneration().orElseThrow(), g -> new ArrayList<>()).add(log);
    }
    for (NodeObject checkpoint : byKind.getOrDefault(ObjectKind.CATALOG_CHECKPOINT, List.of())) {
      if (checkpoint.sequence().isEmpty()) { // not a pre-release .catalog.snapshot file
        checkpoints.put(checkpoint.catalogGeneration().orElseThrow(), checkpoint);
      }
    }
    Optional<CatalogGeneration> live =
        java.util.stream.Stream.of(CatalogGeneration.V3, CatalogGeneration.V2, CatalogGeneration.V1)
            .filter(g -> logs.containsKey(g) || checkpoints.containsKey(g))
            .findFirst();
    if (live.isEmpty()) {
      if (!snapshots.isEmpty()) {
        findings.add(
            new Finding(
                Severity.ERROR,
                snapshots.get(0).key(),
                "no catalog at all: the server would start with an empty catalog"));
      }
      return;
    }
    for (CatalogGeneration generation : CatalogGeneration.values()) {
      boolean isLive = generation == live.get();
      List<NodeObject> generationLogs = logs.getOrDefault(generation, new ArrayList<>());
      generationLogs.sort(
          (a, b) -> Long.compareUnsigned(a.sequence().getAsLong(), b.sequence().getAsLong()));
      List<NodeObject> files = new ArrayList<>(generationLogs);
      Optional.ofNullable(checkpoints.get(generation)).ifPresent(files::add);
      Map<ObjectKey, byte[]> contents = new TreeMap<>();
      for (NodeObject file : files) {
        byte[] bytes = ConsistencyCheck.read(store, root.resolve(file.key()));
        contents.put(file.key(), bytes);
        InternalFraming.problem(file.kind(), bytes)
            .ifPresent(
                p ->
                    findings.add(
                        new Finding(isLive ? Severity.ERROR : Severity.WARNING, file.key(), p)));
      }
      if (!isLive) {
        if (!generationLogs.isEmpty()
            && !startsWith(
                contents.get(generationLogs.get(generationLogs.size() - 1).key()), "idb3.EOF.l")) {
          findings.add(
              new Finding(
                  Severity.WARNING,
                  generationLogs.get(generationLogs.size() - 1).key(),
                  "an older catalog generation that does not end with the idb3.EOF.l upgrade marker"));
        }
        continue;
      }
      NodeObject checkpoint = checkpoints.get(generation);
      if (checkpoint == null) {
        KeyPrefix node = generationLogs.get(0).node().prefix();
        findings.add(
            new Finding(
                Severity.ERROR,
                node.resolve(generation.checkpoint()),
                "the live catalog generation has logs but no checkpoint or snapshot: the server would start with an empty catalog"));
        continue;
      }
      byte[] checkpointBytes = contents.get(checkpoint.key());
      OptionalLong checkpointSequence = sequence(generation, checkpointBytes);
      if (checkpointSequence.isEmpty()) {
        findings.add(
            new Finding(
                Severity.ERROR, checkpoint.key(), "cannot read the catalog checkpoint's sequence"));
        continue;
      }
      long last = checkpointSequence.getAsLong();
      for (NodeObject log : generationLogs) {
        long sequence = log.sequence().getAsLong();
        if (Long.compareUnsigned(sequence, checkpointSequence.getAsLong()) <= 0) {
          continue; // already folded into the checkpoint
        }
        if (sequence != last + 1) {
          findings.add(
              new Finding(
                  Severity.ERROR,
                  log.key(),
                  "catalog logs "
                      + (last + 1)
                      + " to "
                      + (sequence - 1)
                      + " are missing: those catalog changes would be lost"));
        }
        last = sequence;
        if (generation == CatalogGeneration.V3) {
          byte[] bytes = contents.get(log.key());
          if (bytes.length >= 64
              && checkpointBytes.length >= 64
              && !java.util.Arrays.equals(bytes, 0x10, 0x20, checkpointBytes, 0x10, 0x20)) {
            findings.add(
                new Finding(
                    Severity.ERROR,
                    log.key(),
                    "catalog UUID differs from the catalog snapshot's: the server refuses to start"));
          }
          // The server applies each log at the sequence its name gives; a header that disagrees is
          // a file copied to the wrong name, which would replay one catalog change in another's
          // place.
          OptionalLong header = sequence(generation, bytes);
          if (header.isPresent() && header.getAsLong() != sequence) {
            findings.add(
                new Finding(
                    Severity.ERROR,
                    log.key(),
                    "its header says catalog sequence "
                        + Long.toUnsignedString(header.getAsLong())
                        + ", its name "
                        + Long.toUnsignedString(sequence)));
          }
        }
      }
      final long covered = last;
      snapshots.stream()
          .filter(s -> Long.compareUnsigned(s.catalogSequence(), covered) > 0)
          .max((a, b) -> Long.compareUnsigned(a.catalogSequence(), b.catalogSequence()))
          .ifPresent(
              s ->
                  findings.add(
                      new Finding(
                          Severity.ERROR,
                          s.key(),
                          "needs catalog sequence "
                              + Long.toUnsignedString(s.catalogSequence())
                              + " but the catalog reaches only "
                              + Long.toUnsignedString(covered))));
    }
  }

  /** The sequence a catalog checkpoint or snapshot records. */
  private static OptionalLong sequence(CatalogGeneration generation, byte[] bytes) {
    try {
      if (generation == CatalogGeneration.V3) {
        return bytes.length >= 64
            ? OptionalLong.of(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0x20))
            : OptionalLong.empty();
      }
      if (bytes.length <= 14) {
        return OptionalLong.empty();
      }
      JsonNode payload =
          Reader.JSON.readTree(new String(bytes, 14, bytes.length - 14, StandardCharsets.UTF_8));
      JsonNode sequence = payload == null ? null : payload.get("sequence");
      return sequence != null && sequence.isIntegralNumber()
          ? OptionalLong.of(sequence.asLong())
          : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  private static boolean startsWith(byte[] bytes, String prefix) {
    return bytes != null
        && new String(bytes, 0, Math.min(bytes.length, prefix.length()), StandardCharsets.US_ASCII)
            .equals(prefix);
  }
}
