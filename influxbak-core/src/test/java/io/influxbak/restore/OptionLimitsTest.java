package io.influxbak.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.backup.BackupOptions;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.StoreId;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The limits options accept, and how a refusal of a damaged backup reads. */
class OptionLimitsTest {
  @Test
  void countsBelowOne_refusedNamingTheOption() {
    assertThatThrownBy(() -> BackupOptions.builder().journalEvery(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("journalEvery must be positive: 0");
    assertThat(BackupOptions.builder().journalEvery(1).build().journalEvery()).isEqualTo(1);
    assertThatThrownBy(() -> RestoreOptions.builder().maxManifestObjects(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxManifestObjects must be positive: 0");
    assertThat(RestoreOptions.builder().maxManifestObjects(1).build().maxManifestObjects())
        .isEqualTo(1);
  }

  @Test
  void backupDamaged_namesFiveProblemsThenPointsToVerify() {
    StoreId store = new StoreId("file", "", "/backups");
    List<String> five = IntStream.range(0, 5).mapToObj(i -> "k" + i + " (missing)").toList();
    List<String> six = IntStream.range(0, 6).mapToObj(i -> "k" + i + " (missing)").toList();

    BackupDamagedException fewer = new BackupDamagedException(store, KeyPrefix.of("b"), five);
    BackupDamagedException more = new BackupDamagedException(store, KeyPrefix.of("b"), six);

    assertThat(fewer.getMessage())
        .contains("5 object(s)")
        .contains("k4 (missing) (run verify")
        .doesNotContain("...");
    assertThat(more.getMessage())
        .contains("6 object(s)")
        .contains("k4 (missing); ... (run verify")
        .doesNotContain("k5");
    assertThat(more.problems()).hasSize(6);
  }
}
