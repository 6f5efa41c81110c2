package io.influxbak.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.Checksum;
import io.influxbak.store.ObjectKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every field of a manifest is checked as it is read: a wrong type, an empty id or a size that is
 * not a whole number in range is a {@link ManifestException} naming the field, never a bare runtime
 * error or a value taken as something else.
 */
class ManifestValidationTest {
  /** A valid manifest, as this library writes it. */
  private static String valid() throws IOException {
    return written(oneWalFile(Optional.empty()));
  }

  /** A manifest of backup b1 listing one WAL file, with {@code sourceFindings}. */
  static BackupManifest oneWalFile(Optional<List<SourceFinding>> sourceFindings) {
    return new BackupManifest(
        ManifestFormat.CURRENT_VERSION,
        "b1",
        Instant.parse("2026-12-01T00:00:00Z"),
        "test",
        Product.CORE,
        List.of(NodeId.of("node0")),
        Optional.empty(),
        OptionalLong.empty(),
        "file:///data",
        Map.of(),
        sourceFindings,
        List.of(
            new ManifestEntry(
                ObjectKey.of("node0/wal/00000000001.wal"),
                ObjectKind.WAL,
                CopyPhase.WAL,
                8,
                Optional.empty(),
                Optional.empty(),
                StoredCopy.plain(8, Optional.empty()))));
  }

  /** {@code manifest} as this library writes it. */
  static String written(BackupManifest manifest) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ManifestFormat.write(manifest, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * The written layout: the manifest's fields indented, a line each; its objects one compact entry
   * to a line (a sixth fewer bytes than indented, and what grep wants), any nesting included.
   */
  @Test
  void written_fieldsIndented_objectsOneCompactLineEach() throws IOException {
    BackupManifest one = oneWalFile(Optional.empty());
    ManifestEntry reused =
        new ManifestEntry(
            ObjectKey.of("node0/wal/00000000002.wal"),
            ObjectKind.WAL,
            CopyPhase.WAL,
            9,
            Optional.of(Checksum.crc32c(0x1234abcdL)),
            Optional.empty(),
            new StoredCopy(Optional.of("b0"), Encoding.GZIP, 5, Optional.empty()));
    List<ManifestEntry> entries = new ArrayList<>(one.entries());
    entries.add(reused);
    BackupManifest two = one.completed(List.of(), entries);

    List<String> lines = written(two).lines().toList();

    assertThat(lines).contains("  \"formatVersion\" : 2,", "  \"backupId\" : \"b1\",");
    int objects = lines.indexOf("  \"objects\" : [");
    assertThat(objects).isPositive();
    assertThat(lines.subList(objects + 1, lines.size()))
        .containsExactly(
            "    {\"key\":\"node0/wal/00000000001.wal\",\"kind\":\"WAL\",\"phase\":\"WAL\",\"size\":8},",
            "    {\"key\":\"node0/wal/00000000002.wal\",\"kind\":\"WAL\",\"phase\":\"WAL\",\"size\":9,"
                + "\"crc32c\":\""
                + reused.crc32c().orElseThrow().hex()
                + "\",\"stored\":{\"backup\":\"b0\",\"encoding\":\"gzip\",\"size\":5}}",
            "  ]",
            "}");
    assertThat(
            ManifestFormat.read(
                    new ByteArrayInputStream(written(two).getBytes(StandardCharsets.UTF_8)),
                    "b1/manifest.json",
                    100)
                .entries())
        .isEqualTo(entries);
  }

  @Test
  void written_noObjects_anEmptyArray() throws IOException {
    String text = written(oneWalFile(Optional.empty()).completed(List.of(), List.of()));

    assertThat(text).contains("  \"objects\" : []\n}");
    assertThat(
            ManifestFormat.read(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                    "b1/manifest.json",
                    100)
                .entries())
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          cluster as an object        | "cluster" : null                | "cluster" : {}             | "cluster" is not a non-empty string
          empty cluster               | "cluster" : null                | "cluster" : ""             | "cluster" is not a non-empty string
          numeric backup id           | "backupId" : "b1"               | "backupId" : 7             | "backupId" is not a non-empty string
          empty backup id             | "backupId" : "b1"               | "backupId" : ""            | "backupId" is not a non-empty string
          node id a number            | "nodes" : [ "node0" ]           | "nodes" : [ 3 ]            | "nodes" is not a non-empty string
          empty node id               | "nodes" : [ "node0" ]           | "nodes" : [ "" ]           | "nodes" is not a non-empty string
          nodes not an array          | "nodes" : [ "node0" ]           | "nodes" : "node0"          | "nodes" is not an array
          fractional size             | "size":8                        | "size" : 8.5               | no valid size
          size a string               | "size":8                        | "size" : "8"               | no valid size
          negative size               | "size":8                        | "size" : -1                | no valid size
          size beyond 2^63-1          | "size":8                        | "size" : 9223372036854775808 | no valid size
          version a string            | "formatVersion" : 1             | "formatVersion" : "1"      | "formatVersion" is not an integer
          objects holding a number    | "objects" : [                   | "objects" : [ 1,           | holds something that is not an object
          options not an object       | "options" : { }                 | "options" : [ ]            | "options" is not an object
          option a number             | "options" : { }                 | "options" : { "sha256" : 1 } | "options.sha256" is not a string
          option given twice          | "options" : { }                 | "options" : { "a" : "1", "a" : "2" } | "options" gives "a" twice
          """)
  void hostileField_refusedNamingIt(String what, String from, String to, String reason)
      throws IOException {
    String text = valid();
    assertThat(text).as("the valid manifest holds %s", from).contains(from);
    byte[] hostile = text.replace(from, to).getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(
            () -> ManifestFormat.read(new ByteArrayInputStream(hostile), "b1/manifest.json", 100))
        .as(what)
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("b1/manifest.json")
        .hasMessageContaining(reason);
  }

  @ParameterizedTest(name = "sizes adding up past 2^63-1")
  @CsvSource("9223372036854775807")
  void sizesAddingUpBeyondLongRange_refused(String max) throws IOException {
    String text = valid();
    String one = text.substring(text.indexOf("{", text.indexOf("\"objects\"")));
    one = one.substring(0, one.lastIndexOf("]")).trim();
    String second = one.replace("00000000001.wal", "00000000002.wal");
    String hostile =
        text.replace(one, one + ", " + second).replace("\"size\":8", "\"size\":" + max);

    assertThatThrownBy(
            () ->
                ManifestFormat.read(
                    new ByteArrayInputStream(hostile.getBytes(StandardCharsets.UTF_8)),
                    "b1/manifest.json",
                    100))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("add up to more than 2^63-1");
  }

  /** An entry's fields, read from the token stream: each hostile value refused naming it. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          key a number                | "key":"node0/wal/00000000001.wal"   | "key" : 7              | an object has no key
          kind missing                | "kind":"WAL",                   | ''                         | an object has no kind
          kind unknown                | "kind":"WAL"                    | "kind" : "WALL"            | unknown ObjectKind WALL
          kind of another phase       | "kind":"WAL"                    | "kind" : "PARQUET"         | which phase WAL does not copy
          crc32c a short number       | "size":8                        | "size" : 8, "crc32c" : 123 | has an invalid crc32c: 123
          crc32c an object            | "size":8                        | "size" : 8, "crc32c" : {}  | has an invalid crc32c
          sha256 not hex              | "size":8                        | "size" : 8, "sha256" : "zz" | has an invalid sha256: zz
          stored a number             | "size":8                        | "size" : 8, "stored" : 5   | has an invalid stored field
          stored without encoding     | "size":8                        | "size" : 8, "stored" : { "size" : 8 } | an object has no encoding
          stored size negative        | "size":8                        | "size" : 8, "stored" : { "encoding" : "gzip", "size" : -2 } | no valid stored size
          stored in an unsafe backup  | "size":8                        | "size" : 8, "stored" : { "backup" : "../b0", "encoding" : "identity", "size" : 8 } | invalid backup id ../b0
          size given twice            | "size":8                        | "size" : 8, "size" : 9     | an object gives "size" twice
          """)
  void hostileEntryField_refusedNamingIt(String what, String from, String to, String reason)
      throws IOException {
    hostileField_refusedNamingIt(what, from, to, reason);
  }

  @Test
  void options_readBackAsWritten() throws IOException {
    String text =
        valid()
            .replace(
                "\"options\" : { }", "\"options\" : { \"sha256\" : \"true\", \"lock\" : \"\" }");

    BackupManifest read =
        ManifestFormat.read(
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
            "b1/manifest.json",
            100);

    assertThat(read.options()).containsExactly(Map.entry("sha256", "true"), Map.entry("lock", ""));
  }

  /**
   * Entries reused from one backup share its id as read, and a stored copy with the entry's own
   * CRC32C shares it: a million-entry parent is read into a few objects fewer per entry.
   */
  @Test
  void reusedEntries_shareTheirHolderAndChecksumAsRead() throws IOException {
    List<ManifestEntry> entries = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Optional<Checksum> crc = Optional.of(Checksum.crc32c(i));
      entries.add(
          new ManifestEntry(
              ObjectKey.of("node0/wal/0000000000" + i + ".wal"),
              ObjectKind.WAL,
              CopyPhase.WAL,
              8,
              crc,
              Optional.empty(),
              new StoredCopy(Optional.of(i < 3 ? "b0" : "b9"), Encoding.IDENTITY, 8, crc)));
    }
    BackupManifest written = oneWalFile(Optional.empty()).completed(List.of(), entries);

    List<ManifestEntry> read =
        ManifestFormat.read(
                new ByteArrayInputStream(written(written).getBytes(StandardCharsets.UTF_8)),
                "b1/manifest.json",
                100)
            .entries();

    assertThat(read).isEqualTo(entries);
    assertThat(read.get(1).stored().backupId()).isSameAs(read.get(0).stored().backupId());
    assertThat(read.get(2).stored().backupId()).contains("b9");
    for (ManifestEntry entry : read) {
      assertThat(entry.stored().crc32c()).isSameAs(entry.crc32c());
    }
  }

  /** Fields in any order, unknown ones skipped (later minor versions may add some). */
  @Test
  void entry_fieldsReorderedAndUnknownOnesAdded_readsTheSameEntry() throws IOException {
    String text = valid();
    String reordered =
        text.replace("\"key\":\"node0/wal/00000000001.wal\",", "")
            .replace(
                "\"size\":8",
                "\"size\" : 8, \"future\" : {\"a\" : [1, {\"b\" : null}]},"
                    + " \"key\" : \"node0/wal/00000000001.wal\", \"crc32c\" : null");
    assertThat(reordered).isNotEqualTo(text).contains("\"future\"");

    BackupManifest read =
        ManifestFormat.read(
            new ByteArrayInputStream(reordered.getBytes(StandardCharsets.UTF_8)),
            "b1/manifest.json",
            100);

    assertThat(read.entries()).isEqualTo(oneWalFile(Optional.empty()).entries());
  }
}
