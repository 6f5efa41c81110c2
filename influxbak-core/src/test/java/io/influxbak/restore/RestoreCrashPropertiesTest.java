package io.influxbak.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.lease.LeaseHeldException;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.lease.Leases;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.testing.CrashingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.StoreKeys;
import io.influxbak.transfer.Compression;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * A restore crashed at any one of its changes, then resumed (and the resume itself crashed once
 * more, then resumed again) ends with the node an uninterrupted restore gives, byte for byte, and
 * no marker; a restore crashed before its marker was written left nothing and is simply run again.
 */
class RestoreCrashPropertiesTest {
  private static final RestoreOptions NO_RETRY =
      RestoreOptions.builder()
          .transfer(TransferSettings.builder().retryPolicy(RetryPolicy.NONE).build())
          .build();
  private static final RestoreOptions RESUME = RestoreOptions.builder().resume().build();

  /**
   * A crashed run leaves its lease, as a killed process does: the next run comes once it is stale
   * (its clock {@code hours} ahead) and takes it over.
   */
  private static RestoreOptions.Builder later(int hours) {
    return RestoreOptions.builder()
        .lease(
            LeaseSettings.defaults()
                .withTime(
                    Clock.offset(Clock.systemUTC(), Duration.ofHours(hours)),
                    RetryPolicy.Sleeper.REAL));
  }

  @Property(tries = 15)
  void restoreCrashedAtEveryChange_resumesToTheUninterruptedNode(
      @ForAll("coreNodes") GeneratedNode node,
      @ForAll boolean gzip,
      @ForAll boolean incremental,
      @ForAll @IntRange(min = 1, max = 6) int resumeCrashesAt)
      throws IOException {
    InMemoryObjectStore source = new InMemoryObjectStore();
    node.writeTo(source);
    InMemoryObjectStore backups = new InMemoryObjectStore();
    BackupOptions.Builder options = BackupOptions.builder().backupId("b1");
    if (gzip) {
      options.compression(Compression.gzip());
    }
    BackupPlan.core(node.node()).withOptions(options.build()).execute(source, backups);
    String id = "b1";
    if (incremental) {
      // Nothing changed: every object is reused from b1, so the restore reads b1's root.
      BackupPlan.core(node.node())
          .withOptions(options.backupId("b2").build())
          .execute(source, backups);
      id = "b2";
    }
    InMemoryObjectStore reference = new InMemoryObjectStore();
    CrashingObjectStore counting = new CrashingObjectStore(reference, Long.MAX_VALUE);
    RestorePlan.of(id).withOptions(NO_RETRY).execute(backups, counting);
    Map<ObjectKey, byte[]> uninterrupted = contents(reference);
    long changes = counting.changes();
    assertThat(changes).as("marker, objects, marker removal").isGreaterThan(2);

    int resumedTwice = 0;
    for (long crashAt = 1; crashAt <= changes; crashAt++) {
      InMemoryObjectStore target = new InMemoryObjectStore();
      CrashingObjectStore crashing = new CrashingObjectStore(target, crashAt);
      String restoreId = id;
      assertThatThrownBy(
              () -> RestorePlan.of(restoreId).withOptions(NO_RETRY).execute(backups, crashing))
          .as("crash at change %d of %d", crashAt, changes)
          .hasStackTraceContaining("simulated crash");
      boolean marked =
          target.stat(node.node().prefix().resolve(ConsistencyCheck.RESTORE_MARKER)).isPresent();
      if (!marked) {
        // Only the first change, the marker itself, can crash without leaving one; then nothing
        // at all was written and a plain restore is what the operator runs.
        assertThat(crashAt).isEqualTo(1);
        assertThat(StoreKeys.under(target, KeyPrefix.ROOT))
            .allMatch(key -> key.isUnder(Leases.ROOT));
        RestorePlan.of(id).withOptions(later(1).build()).execute(backups, target);
      } else {
        // Not before the crashed run's lease is stale:
        assertThatThrownBy(
                () -> RestorePlan.of(restoreId).withOptions(RESUME).execute(backups, target))
            .isInstanceOf(LeaseHeldException.class)
            .hasMessageContaining("restore of " + id);
        CrashingObjectStore crashingResume = new CrashingObjectStore(target, resumeCrashesAt);
        try {
          RestorePlan.of(id)
              .withOptions(later(1).resume().build())
              .execute(backups, crashingResume);
        } catch (IOException crashed) {
          assertThat(crashed).hasStackTraceContaining("simulated crash");
          resumedTwice++;
          RestorePlan.of(id).withOptions(later(2).resume().build()).execute(backups, target);
        }
      }
      assertThat(contents(target))
          .as("crash at change %d of %d, then resumed", crashAt, changes)
          .containsOnlyKeys(uninterrupted.keySet())
          .allSatisfy((key, bytes) -> assertThat(bytes).isEqualTo(uninterrupted.get(key)));
    }
    Statistics.label("a resume itself crashed").collect(resumedTwice > 0);
    Statistics.label("a resume itself crashed")
        .coverage(c -> c.check(true).percentage(p -> p >= 50));
  }

  private static Map<ObjectKey, byte[]> contents(InMemoryObjectStore store) throws IOException {
    Map<ObjectKey, byte[]> contents = new TreeMap<>();
    for (ObjectKey key : StoreKeys.under(store, KeyPrefix.ROOT)) {
      contents.put(key, store.bytes(key).orElseThrow());
    }
    return contents;
  }

  @Provide
  Arbitrary<GeneratedNode> coreNodes() {
    return CoreNodeArbitraries.coreNodes();
  }
}
