package io.influxbak.manifest;

import static io.influxbak.manifest.ManifestValidationTest.oneWalFile;
import static io.influxbak.manifest.ManifestValidationTest.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.manifest.SourceFinding.Severity;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ObjectKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The source's condition as a manifest records it (what a backup's check and restore read back),
 * and the rules of a stored copy.
 */
class SourceFindingsTest {
  private static final ObjectKey LISTED = ObjectKey.of("node0/wal/00000000001.wal");
  private static final ObjectKey GONE =
      ObjectKey.of("node0/dbs/1/2/2026-09-07/18-20/0000000006.parquet");

  @Test
  void sourceFindings_errorsCountedAndAbsentObjectsKnown() {
    SourceFinding warning = new SourceFinding(Severity.WARNING, GONE, "absent at the source");
    SourceFinding error = new SourceFinding(Severity.ERROR, LISTED, "bad framing");

    assertThat(SourceFinding.errors(List.of(warning, error, error))).isEqualTo(2);
    assertThat(oneWalFile(Optional.of(List.of(warning))).sourceHasErrors()).isFalse();
    assertThat(oneWalFile(Optional.of(List.of(warning, error))).sourceHasErrors()).isTrue();
    assertThat(oneWalFile(Optional.empty()).sourceHasErrors()).isFalse();

    BackupManifest recorded = oneWalFile(Optional.of(List.of(warning)));
    assertThat(recorded.absentAtSource(GONE)).isTrue();
    assertThat(recorded.absentAtSource(ObjectKey.of("node0/wal/00000000002.wal"))).isFalse();
    // Without the record (older manifests): whatever the backup does not list was not there.
    BackupManifest older = oneWalFile(Optional.empty());
    assertThat(older.absentAtSource(GONE)).isTrue();
    assertThat(older.absentAtSource(LISTED)).isFalse();
  }

  @Test
  void sourceFindings_roundTripThroughTheManifest() throws IOException {
    List<SourceFinding> findings =
        List.of(
            new SourceFinding(Severity.WARNING, GONE, "absent at the source"),
            new SourceFinding(Severity.ERROR, LISTED, "bad framing"));

    BackupManifest read = read(written(oneWalFile(Optional.of(findings))));

    assertThat(read.sourceFindings()).contains(findings);
    assertThat(read.sourceHasErrors()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          no severity     | "severity" : "WARNING",   |                          | missing sourceFindings.severity
          no key          | "key" : "node0/dbs         | "k" : "node0/dbs         | missing sourceFindings.key
          no reason       | "reason" : "absent         | "r" : "absent            | missing sourceFindings.reason
          empty severity  | "severity" : "WARNING"     | "severity" : ""          | "sourceFindings.severity" is not a non-empty string (empty)
          numeric reason  | "reason" : "absent at the source" | "reason" : 3      | "sourceFindings.reason" is not a non-empty string (VALUE_NUMBER_INT)
          unknown severity | "severity" : "WARNING"    | "severity" : "FATAL"     | invalid source finding (FATAL
          """)
  void sourceFindings_hostile_refusedNamingTheField(
      String what, String from, String to, String reason) throws IOException {
    String text =
        written(
            oneWalFile(
                Optional.of(
                    List.of(new SourceFinding(Severity.WARNING, GONE, "absent at the source")))));
    assertThat(text).as("the manifest holds %s", from).contains(from);
    String hostile = text.replace(from, to == null ? "" : to);

    assertThatThrownBy(() -> read(hostile))
        .as(what)
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("b1/manifest.json")
        .hasMessageContaining(reason);
  }

  @Test
  void storedCopy_aHolderIdRefusedOnceIsRefusedEveryTime() {
    // checkBackupId skips the very string it passed last: one refused must never become that one
    String valid = new String("b1".toCharArray());
    String hostile = new String("../b0".toCharArray());
    for (int i = 0; i < 3; i++) {
      assertThat(StoredCopy.plain(1, Optional.empty()).reusedFrom(valid).backupId())
          .contains(valid);
    }
    for (int i = 0; i < 3; i++) { // the same refused string again and again, nothing between
      assertThatThrownBy(() -> StoredCopy.plain(1, Optional.empty()).reusedFrom(hostile))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(StoredCopy.plain(1, Optional.empty()).reusedFrom(valid).backupId()).contains(valid);
    assertThatThrownBy(
            () -> StoredCopy.plain(1, Optional.empty()).reusedFrom(new String("a/b".toCharArray())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a backup id: a/b");
  }

  @Test
  void storedCopy_holderIsOneSegmentSizeNotNegativeChecksumACrc32c() {
    assertThat(StoredCopy.plain(0, Optional.empty()).reusedFrom("a").backupId()).contains("a");
    assertThatThrownBy(() -> StoredCopy.plain(1, Optional.empty()).reusedFrom("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a backup id: a/b");
    assertThatThrownBy(() -> StoredCopy.plain(1, Optional.empty()).reusedFrom(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StoredCopy.plain(-1, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative stored size");
    assertThatThrownBy(
            () ->
                StoredCopy.plain(1, Optional.of(Checksum.of(ChecksumAlgorithm.MD5, new byte[16]))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a CRC32C");
    assertThat(StoredCopy.plain(1, Optional.of(Checksum.crc32c(7))).crc32c()).isPresent();
  }

  private static BackupManifest read(String text) throws IOException {
    return ManifestFormat.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "b1/manifest.json", 100);
  }
}
