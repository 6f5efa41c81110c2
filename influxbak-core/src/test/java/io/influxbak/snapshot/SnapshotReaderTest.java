package io.influxbak.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.InMemoryObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every real snapshot parses; every hostile variant is refused with a typed error naming the file.
 */
class SnapshotReaderTest {
  @ParameterizedTest
  @CsvSource({
    "v3.0/node30, 18446744073709551614, 1, 6, 5, 12, 0",
    "v3.0/node30, 18446744073709551613, 2, 12, 5, 12, 0",
    "v3.4/node34, 18446744073709551614, 1, 6, 6, 12, 0",
    "v3.4/node34, 18446744073709551613, 2, 12, 6, 12, 0",
  })
  void parse_realSnapshots(
      String dir, String name, long sequence, long wal, long catalog, int added, int removed)
      throws IOException {
    String node = dir.substring(dir.indexOf('/') + 1);
    SnapshotFile snapshot =
        SnapshotReader.parseSnapshot(
            object(node, name), fixture(dir + "/snapshots/" + name + ".info.json"));
    assertThat(snapshot.nodeId()).isEqualTo(node);
    assertThat(snapshot.snapshotSequence()).isEqualTo(sequence);
    assertThat(snapshot.walFileSequence()).isEqualTo(wal);
    assertThat(snapshot.catalogSequence()).isEqualTo(catalog);
    assertThat(snapshot.added())
        .hasSize(added)
        .allSatisfy(f -> assertThat(f.path().toString()).startsWith(node + "/dbs/"));
    assertThat(snapshot.removed()).hasSize(removed);
  }

  @Test
  void parse_upstreamPersistedSnapshotShape_withRedactionsFilledIn() throws IOException {
    String snap =
        new String(
            fixture("insta/influxdb3_write__persister__tests__persisted_snapshot_structure.snap"),
            StandardCharsets.UTF_8);
    String json =
        snap.substring(snap.indexOf("---", 3) + 3)
            .replace("\"[next_file_id]\"", "1")
            .replace("\"[id]\"", "0")
            .replace("\"path\": \"", "\"path\": \"host/dbs/");
    SnapshotFile snapshot =
        SnapshotReader.parseSnapshot(
            object("host", "18446744073709551615"), json.getBytes(StandardCharsets.UTF_8));
    assertThat(snapshot.added()).isNotEmpty();
    assertThat(snapshot.snapshotSequence()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "bad JSON | {\"version\": \"1\", | bad or truncated JSON",
        "empty | | empty file",
        "no version tag | {\"node_id\": \"node0\", \"databases\": {}} | untagged",
        "unknown version | {\"version\": \"2\"} | unknown snapshot version",
        "missing field | {\"version\": \"1\", \"node_id\": \"node0\", \"wal_file_sequence_number\": 1} | snapshot_sequence_number",
        "negative | {\"version\": \"1\", \"node_id\": \"node0\", \"snapshot_sequence_number\": -1} | out of the unsigned 64-bit range",
        "overflow | {\"version\": \"1\", \"node_id\": \"node0\", \"snapshot_sequence_number\": 18446744073709551616} | out of the unsigned 64-bit range",
        "name disagrees | {\"version\": \"1\", \"node_id\": \"node0\", \"snapshot_sequence_number\": 7} | its name says sequence 1",
        "name-keyed databases | BODY{\"db\": {}} | keyed by name",
        "path outside node | BODY[[1, {\"tables\": [[2, [FILE\"other/dbs/1/2/2026-09-07/18-20/0000000006.parquet\"}]]]}]] | outside the node prefix",
        "path with dot-dot | BODY[[1, {\"tables\": [[2, [FILE\"node0/../x.parquet\"}]]]}]] | unsafe Parquet path",
        "duplicate database | BODY[[1, {\"tables\": []}], [1, {\"tables\": []}]] | appears twice",
      })
  void parse_hostileSnapshot_typedErrorNamingFile(String name, String body, String reason) {
    String json =
        body == null
            ? ""
            : body.startsWith("BODY")
                ? valid(
                    body.substring(4)
                        .replace(
                            "FILE",
                            "{\"id\": 1, \"size_bytes\": 10, \"min_time\": 0, \"max_time\": 1, \"path\": "))
                : body;
    NodeObject object = object("node0", "18446744073709551614");
    assertThatThrownBy(
            () -> SnapshotReader.parseSnapshot(object, json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("node0/snapshots/18446744073709551614.info.json")
        .hasMessageContaining(reason);
  }

  /** Every required field, left out, is named in the error; the file's own fields too. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "node_id",
    "snapshot_sequence_number",
    "wal_file_sequence_number",
    "catalog_sequence_number",
    "min_time",
    "max_time",
    "databases",
    "file.path",
    "file.id",
    "file.size_bytes",
    "file.min_time",
    "file.max_time",
  })
  void parse_requiredFieldMissing_namedInTheError(String field) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode root =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            mapper.readTree(
                valid(
                    "[[1, {\"tables\": [[2, [{\"id\": 1, \"size_bytes\": 10, \"min_time\": 0,"
                        + " \"max_time\": 1, \"path\":"
                        + " \"node0/dbs/1/2/2026-09-07/18-20/0000000006.parquet\"}]]]}]]"));
    NodeObject object = object("node0", "18446744073709551614");
    assertThat(SnapshotReader.parseSnapshot(object, mapper.writeValueAsBytes(root)).nodeId())
        .isEqualTo("node0");
    if (field.startsWith("file.")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode)
              root.get("databases").get(0).get(1).get("tables").get(0).get(1).get(0))
          .remove(field.substring(5));
    } else {
      root.remove(field);
    }
    byte[] json = mapper.writeValueAsBytes(root);

    assertThatThrownBy(() -> SnapshotReader.parseSnapshot(object, json))
        .isInstanceOf(SnapshotFormatException.class)
        .hasMessageStartingWith(
            "Invalid snapshot file node0/snapshots/18446744073709551614.info.json")
        .hasMessageContaining(field.replace("file.", ""));
  }

  @Test
  void parse_tableIndexAndMarker_fieldsRequiredAndNamedByKind() throws IOException {
    NodeObject index =
        CoreLayout.of(NodeId.of("node0"))
            .classify(ObjectKey.of("node0/db-indices/1/2/index.info.json"));
    java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
    fields.put("db_id", "1");
    fields.put("table_id", "2");
    fields.put("latest_snapshot_sequence_number", "3");
    fields.put("files", "[]");
    TableIndexFile parsed = SnapshotReader.parseIndex(index, indexJson(fields, ""));
    assertThat(parsed.latestSnapshotSequence()).isEqualTo(3);
    for (String field : fields.keySet()) {
      assertThatThrownBy(() -> SnapshotReader.parseIndex(index, indexJson(fields, field)))
          .isInstanceOf(SnapshotFormatException.class)
          .hasMessageStartingWith("Invalid table index node0/db-indices/1/2/index.info.json")
          .hasMessageContaining(field);
    }
    NodeObject marker =
        CoreLayout.of(NodeId.of("node0"))
            .classify(ObjectKey.of("node0/table-index-conversion-completed"));
    assertThat(
            SnapshotReader.parseConversionMarker(
                marker, "{\"last_sequence_number\": 4}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(4);
    assertThatThrownBy(
            () ->
                SnapshotReader.parseConversionMarker(marker, "{}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageStartingWith(
            "Invalid table-index conversion marker node0/table-index-conversion-completed")
        .hasMessageContaining("last_sequence_number");
  }

  private static byte[] indexJson(java.util.Map<String, String> fields, String without) {
    StringBuilder json = new StringBuilder("{");
    fields.forEach(
        (name, value) -> {
          if (!name.equals(without)) {
            json.append(json.length() > 1 ? ", " : "").append('"').append(name).append("\": ");
            json.append(value);
          }
        });
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A read that streams its entries passes each one the holding read keeps, in the file's field
   * order (here the removals first), and keeps none itself.
   */
  @Test
  void read_streaming_passesEveryEntryInFileOrder() throws IOException {
    String file =
        "{\"id\": %d, \"size_bytes\": 10, \"min_time\": 0, \"max_time\": %d, \"path\": "
            + "\"node0/dbs/1/2/2026-09-07/18-20/%010d.parquet\"}";
    String json =
        "{\"version\": \"1\", \"node_id\": \"node0\", \"snapshot_sequence_number\": 1,"
            + " \"removed_files\": [[1, {\"tables\": [[2, ["
            + String.format(file, 3, 30, 3)
            + "]]]}]], \"wal_file_sequence_number\": 1, \"catalog_sequence_number\": 1,"
            + " \"min_time\": 0, \"max_time\": 1, \"databases\": [[1, {\"tables\": [[2, ["
            + String.format(file, 4, 40, 4)
            + ", "
            + String.format(file, 5, 50, 5)
            + "]]]}]]}";
    NodeObject object = object("node0", "18446744073709551614");
    InMemoryObjectStore store = new InMemoryObjectStore();
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    store.write(object.key(), ObjectContent.ofBytes(bytes), WriteMode.CREATE_NEW);
    SnapshotFile held = SnapshotReader.read(store, object.key(), object, bytes.length);
    List<String> seen = new ArrayList<>();

    SnapshotFile streamed =
        SnapshotReader.read(
            store,
            object.key(),
            object,
            bytes.length,
            new SnapshotEntries() {
              @Override
              public void added(ParquetFileRef f) {
                seen.add("added " + f);
              }

              @Override
              public void removed(ParquetFileRef f) {
                seen.add("removed " + f);
              }
            });

    assertThat(held.added()).extracting(ParquetFileRef::id).containsExactly(4L, 5L);
    assertThat(held.removed()).extracting(ParquetFileRef::id).containsExactly(3L);
    assertThat(seen)
        .containsExactly(
            "removed " + held.removed().get(0),
            "added " + held.added().get(0),
            "added " + held.added().get(1));
    assertThat(streamed.added()).isEmpty();
    assertThat(streamed.removed()).isEmpty();
    assertThat(streamed.snapshotSequence()).isEqualTo(held.snapshotSequence());
    assertThat(streamed.walFileSequence()).isEqualTo(held.walFileSequence());
  }

  /** Each parser takes only its own kind of file. */
  @Test
  void parse_otherKind_refused() {
    NodeObject wal =
        CoreLayout.of(NodeId.of("node0")).classify(ObjectKey.of("node0/wal/00000000001.wal"));
    byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> SnapshotReader.parseSnapshot(wal, json))
        .hasMessageContaining("not a SNAPSHOT file (WAL)");
    assertThatThrownBy(() -> SnapshotReader.parseIndex(wal, json))
        .hasMessageContaining("not a TABLE_INDEX file (WAL)");
    assertThatThrownBy(() -> SnapshotReader.parseConversionMarker(wal, json))
        .hasMessageContaining("not a TABLE_INDEX_CONVERSION_MARKER file (WAL)");
    InMemoryObjectStore empty = new InMemoryObjectStore();
    assertThatThrownBy(() -> SnapshotReader.read(empty, wal.key(), wal, 2))
        .hasMessageContaining("not a SNAPSHOT file (WAL)");
  }

  @Test
  void parquetFileRef_sizeZeroAllowedNegativeRefused() {
    ObjectKey path = ObjectKey.of("node0/dbs/1/2/2026-09-07/18-20/0000000006.parquet");
    assertThat(new ParquetFileRef(1, path, 0, 1, 2, 0, 1).size()).isZero();
    assertThatThrownBy(() -> new ParquetFileRef(1, path, -1, 1, 2, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(path.toString());
  }

  private static String valid(String databases) {
    return "{\"version\": \"1\", \"node_id\": \"node0\", \"snapshot_sequence_number\": 1, \"wal_file_sequence_number\": 1, "
        + "\"catalog_sequence_number\": 1, \"min_time\": 0, \"max_time\": 1, \"databases\": "
        + databases
        + "}";
  }

  private static NodeObject object(String node, String invertedName) {
    return CoreLayout.of(NodeId.of(node))
        .classify(ObjectKey.of(node + "/snapshots/" + invertedName + ".info.json"));
  }

  static byte[] fixture(String path) throws IOException {
    try (InputStream in =
        SnapshotReaderTest.class.getResourceAsStream("/fixtures/upstream/" + path)) {
      assertThat(in).as(path).isNotNull();
      return in.readAllBytes();
    }
  }
}
