package io.influxbak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.manifest.ManifestException;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.snapshot.SnapshotFormatException;
import io.influxbak.snapshot.SnapshotReader;
import io.influxbak.store.InvalidKeyException;
import io.influxbak.store.ObjectKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-key corpus ({@code hostile/keys.tsv}): refused everywhere a key can enter, with its
 * reason.
 */
class HostileKeysTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The key as a JSON string literal, non-ASCII escaped, as a file would carry a lone surrogate.
   */
  private static String literal(String key) throws IOException {
    return JSON.writer()
        .with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
        .writeValueAsString(key);
  }

  record Case(String key, String reason) {
    @Override
    public String toString() {
      return JSON.valueToTree(key).toString();
    }
  }

  static List<Case> corpus() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = HostileKeysTest.class.getResourceAsStream("/hostile/keys.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\t");
        cases.add(new Case(JSON.readValue(parts[0], String.class), parts[1]));
      }
    }
    assertThat(cases).hasSizeGreaterThan(10);
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void objectKey_refusesWithReason(Case hostile) {
    assertThatThrownBy(() -> ObjectKey.of(hostile.key()))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining(hostile.reason());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void manifest_refusesAsUnsafeKey(Case hostile) throws IOException {
    String manifest =
        "{\"formatVersion\": 1, \"backupId\": \"b\", \"createdAt\": \"2026-11-24T00:00:00Z\", \"product\": \"core\", \"nodes\": [\"node0\"],"
            + " \"source\": \"file:///x\", \"objects\": [{\"key\": "
            + literal(hostile.key())
            + ", \"kind\": \"WAL\", \"phase\": \"WAL\", \"size\": 1}]}";
    assertThatThrownBy(
            () ->
                ManifestFormat.read(
                    new ByteArrayInputStream(manifest.getBytes(StandardCharsets.UTF_8)),
                    "b/manifest.json",
                    10))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("unsafe object key")
        .hasMessageContaining(hostile.reason());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void snapshot_refusesAsParquetPath(Case hostile) throws IOException {
    String snapshot =
        "{\"version\": \"1\", \"node_id\": \"node0\", \"snapshot_sequence_number\": 1, \"wal_file_sequence_number\": 1, \"catalog_sequence_number\": 1,"
            + " \"min_time\": 0, \"max_time\": 1, \"databases\": [[1, {\"tables\": [[2, [{\"id\": 1, \"size_bytes\": 1, \"min_time\": 0, \"max_time\": 1, \"path\": "
            + literal(hostile.key())
            + "}]]]}]]}";
    var object =
        CoreLayout.of(NodeId.of("node0"))
            .classify(ObjectKey.of("node0/snapshots/18446744073709551614.info.json"));
    assertThatThrownBy(
            () -> SnapshotReader.parseSnapshot(object, snapshot.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("unsafe Parquet path");
  }
}
