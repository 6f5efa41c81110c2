package io.influxbak.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.NodeObject;
import io.influxbak.store.ContentMismatchException;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.InMemoryObjectStore;
import io.influxbak.store.testing.TrackingObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every form of snapshot file the format facts describe, read as a stream through a store; hostile
 * variants refused with a typed error naming the file; table indexes and the conversion marker.
 */
class SnapshotFormsTest {
  private static final String FILE =
      "{\"id\": 1, \"path\": \"node0/dbs/1/2/2026-09-07/18-20/0000000006.parquet\", \"size_bytes\": 10,"
          + " \"row_count\": 1, \"chunk_time\": 0, \"min_time\": 0, \"max_time\": 1}";

  @ParameterizedTest
  @CsvSource({
    "v3.0/node30, 18446744073709551614",
    "v3.0/node30, 18446744073709551613",
    "v3.4/node34, 18446744073709551614",
    "v3.4/node34, 18446744073709551613",
  })
  void read_everyUpstreamSnapshotThroughAStore_sameAsParsedFromItsBytes(String dir, String name)
      throws IOException {
    String node = dir.substring(dir.indexOf('/') + 1);
    byte[] bytes = SnapshotReaderTest.fixture(dir + "/snapshots/" + name + ".info.json");
    InMemoryObjectStore store = new InMemoryObjectStore();
    ObjectKey key = ObjectKey.of(node + "/snapshots/" + name + ".info.json");
    store.write(key, ObjectContent.ofBytes(bytes), WriteMode.CREATE_NEW);
    NodeObject object = CoreLayout.of(NodeId.of(node)).classify(key);

    SnapshotFile read = SnapshotReader.read(store, key, object, bytes.length);

    assertThat(read).isEqualTo(SnapshotReader.parseSnapshot(object, bytes));
    assertThat(read.added())
        .allSatisfy(f -> assertThat(f.path().toString()).startsWith(node + "/dbs/"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"node_id", "writer_id", "host_id"})
  void parse_eachNodeIdSpelling_accepted(String field) throws IOException {
    SnapshotFile snapshot = parse(snapshot("\"" + field + "\": \"node0\", ", "[]", ""));

    assertThat(snapshot.nodeId()).isEqualTo("node0");
  }

  @Test
  void parse_nodeIdSpellingGivenTwice_refusedButTwoSpellingsAccepted() throws IOException {
    assertThatThrownBy(
            () -> parse(snapshot("\"node_id\": \"node0\", \"node_id\": \"node0\", ", "[]", "")))
        .isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("duplicate field \"node_id\"");
    assertThatThrownBy(
            () ->
                parse(
                    snapshot(
                        "\"node_id\": \"node0\", ",
                        "[]",
                        ", \"removed_files\": null, \"removed_files\": null")))
        .isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("duplicate field \"removed_files\"");

    // Two spellings are two fields, the first one read naming the node, as before.
    SnapshotFile both =
        parse(snapshot("\"node_id\": \"node0\", \"writer_id\": \"other\", ", "[]", ""));
    assertThat(both.nodeId()).isEqualTo("node0");
  }

  @Test
  void parse_unknownFieldGivenTwice_skippedEachTimeAsSerdeDoes() throws IOException {
    String file = FILE.replace("{\"id\"", "{\"future\": 1, \"future\": [2], \"id\"");

    SnapshotFile snapshot =
        parse(
            snapshot(
                "\"node_id\": \"node0\", \"extra\": {}, \"extra\": {\"a\": 1, \"a\": 2}, ",
                "[[1, {\"tables\": [[2, [" + file + "]]]}]]",
                ""));

    assertThat(snapshot.added()).singleElement().satisfies(f -> assertThat(f.size()).isEqualTo(10));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ", \"removed_files\": null", ", \"removed_files\": []"})
  void parse_removedFilesAbsentNullOrEmpty_noneRemoved(String removed) throws IOException {
    SnapshotFile snapshot =
        parse(
            snapshot(
                "\"node_id\": \"node0\", ", "[[1, {\"tables\": [[2, [" + FILE + "]]]}]]", removed));

    assertThat(snapshot.removed()).isEmpty();
    assertThat(snapshot.added())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.databaseId()).isEqualTo(1);
              assertThat(f.tableId()).isEqualTo(2);
              assertThat(f.size()).isEqualTo(10);
            });
  }

  @Test
  void parse_unknownFieldsAtEveryLevel_ignored() throws IOException {
    String file = FILE.replace("{\"id\"", "{\"future\": {\"a\": [1, {\"b\": null}]}, \"id\"");
    String databases = "[[1, {\"future\": [[1, 2]], \"tables\": [[2, [" + file + "]]]}]]";

    SnapshotFile snapshot =
        parse(
            snapshot(
                "\"node_id\": \"node0\", \"persisted_at\": \"2026-09-07\", \"extra\": [{}], ",
                databases,
                ""));

    assertThat(snapshot.added()).hasSize(1);
  }

  @Test
  void parse_removedFiles_foldedOutOfTheLiveSet() throws IOException {
    SnapshotFile first =
        parse(
            snapshot("\"node_id\": \"node0\", ", "[[1, {\"tables\": [[2, [" + FILE + "]]]}]]", ""));
    SnapshotFile second =
        SnapshotReader.parseSnapshot(
            object("18446744073709551613"),
            snapshot(
                    "\"node_id\": \"node0\", ",
                    "[]",
                    ", \"removed_files\": [[1, {\"tables\": [[2, [" + FILE + "]]]}]]")
                .replace("\"snapshot_sequence_number\": 1", "\"snapshot_sequence_number\": 2")
                .getBytes(StandardCharsets.UTF_8));

    LiveParquetSet live =
        LiveParquetSet.fold(java.util.List.of(second, first), java.util.List.of());

    assertThat(live.files()).isEmpty();
    assertThat(live.referenced()).hasSize(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "blank | '   ' | empty file",
        "array | [] | not a JSON object",
        "duplicate version | {\"version\": \"1\", \"version\": \"1\"} | duplicate field \"version\"",
        "duplicate sequence | SEQ1, \"snapshot_sequence_number\": 1 | duplicate field \"snapshot_sequence_number\"",
        "duplicate time | MIN0, \"min_time\": 0 | duplicate field \"min_time\"",
        "duplicate file id | FILE\"id\": 1,=>\"id\": 1, \"id\": 1, | duplicate field \"id\"",
        "duplicate file path | FILE\"row_count\"=>\"path\": \"node0/dbs/1/2/2026-09-07/18-20/0000000007.parquet\", \"row_count\" | duplicate field \"path\"",
        "duplicate file size | FILE\"size_bytes\": 10,=>\"size_bytes\": 10, \"size_bytes\": 10, | duplicate field \"size_bytes\"",
        "duplicate tables | DATABASES[[1, {\"tables\": [], \"tables\": []}]] | duplicate field \"tables\"",
        "second object | VALID {} | data after the JSON object",
        "trailing garbage | VALID x | bad or truncated JSON",
        "cut short | CUT | bad or truncated JSON",
        "nested too deep | DEEP | bad or truncated JSON",
        "no version, empty | {} | untagged",
        "numeric version | {\"version\": 1} | unknown snapshot version",
        "float sequence | SEQ1.0 | not an integer",
        "string sequence | SEQ\"1\" | not an integer",
        "time beyond i64 | MIN9223372036854775808 | not a 64-bit integer",
        "size beyond any object | FILE\"size_bytes\": 10=>\"size_bytes\": 9223372036854775808 | beyond any object",
        "path into wal/ | FILE0/dbs/1/2/2026-09-07/18-20/0000000006.parquet=>0/wal/00000000001.wal | lies outside node0/dbs/",
        "absolute path | FILE\"node0/dbs=>\"/node0/dbs | unsafe Parquet path",
        "empty segment | FILEdbs/1/2=>dbs//2 | unsafe Parquet path",
        "control character | FILEdbs/1=>dbs/\\u0001 | unsafe Parquet path",
        "missing path | FILE\"path\"=>\"paths\" | missing required field \"path\"",
        "tables not an array | TABLES{} | has no \"tables\" array",
        "database entry not a pair | DATABASES[[1]] | not a [database id, tables] pair",
        "table entry not a pair | TABLES[[2]] | not a [table id, files] pair",
        "duplicate table | TABLES[[2, []], [2, []]] | appears twice",
      })
  void parse_hostileSnapshot_typedErrorNamingFileAndReason(
      String name, String body, String reason) {
    String valid =
        snapshot("\"node_id\": \"node0\", ", "[[1, {\"tables\": [[2, [" + FILE + "]]]}]]", "");
    String json;
    if (body.startsWith("VALID")) {
      json = valid + body.substring(5);
    } else if (body.equals("CUT")) {
      json = valid.substring(0, valid.length() / 2);
    } else if (body.equals("DEEP")) {
      json =
          valid.replace(
              "\"node_id\"", "\"x\": " + "[".repeat(70) + "]".repeat(70) + ", \"node_id\"");
    } else if (body.startsWith("SEQ")) {
      json =
          valid.replace(
              "\"snapshot_sequence_number\": 1",
              "\"snapshot_sequence_number\": " + body.substring(3));
    } else if (body.startsWith("MIN")) {
      json =
          valid.replace(
              "\"min_time\": 0, \"max_time\": 9",
              "\"min_time\": " + body.substring(3) + ", \"max_time\": 9");
    } else if (body.startsWith("FILE")) {
      String[] change = body.substring(4).split("=>");
      json = valid.replace(FILE, FILE.replace(change[0], change[1]));
    } else if (body.startsWith("TABLES")) {
      json =
          snapshot(
              "\"node_id\": \"node0\", ", "[[1, {\"tables\": " + body.substring(6) + "}]]", "");
    } else if (body.startsWith("DATABASES")) {
      json = snapshot("\"node_id\": \"node0\", ", body.substring(9), "");
    } else {
      json = body;
    }

    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("node0/snapshots/18446744073709551614.info.json")
        .hasMessageContaining(reason);
  }

  @Test
  void parse_preReleaseNameKeyedForm_typedErrorNamingFile() {
    String preRelease =
        "{\"host_id\": \"node0\", \"snapshot_sequence_number\": 1, \"wal_file_sequence_number\": 1, \"catalog_sequence_number\": 1,"
            + " \"databases\": {\"mydb\": {\"tables\": {\"cpu\": ["
            + FILE
            + "]}}}, \"min_time\": 0, \"max_time\": 1}";

    assertThatThrownBy(() -> parse(preRelease))
        .isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("node0/snapshots/18446744073709551614.info.json")
        .hasMessageContaining("pre-release");
  }

  @Test
  void read_cutShortByTheStore_contentMismatchNotFormatError() throws IOException {
    byte[] bytes = snapshot("\"node_id\": \"node0\", ", "[]", "").getBytes(StandardCharsets.UTF_8);
    InMemoryObjectStore store = new InMemoryObjectStore();
    ObjectKey key = object("18446744073709551614").key();
    store.write(key, ObjectContent.ofBytes(bytes), WriteMode.CREATE_NEW);

    // Listed at a larger size than the bytes that arrive: a read cut short, worth retrying, not a
    // bad file.
    assertThatThrownBy(
            () ->
                SnapshotReader.read(store, key, object("18446744073709551614"), bytes.length + 100))
        .isInstanceOf(ContentMismatchException.class)
        .isNotInstanceOf(SnapshotFormatException.class);
  }

  @Test
  void read_largerThanTheLimit_refusedWithoutOpeningIt() throws IOException {
    TrackingObjectStore store = new TrackingObjectStore(new InMemoryObjectStore());
    NodeObject object = object("18446744073709551614");

    assertThatThrownBy(() -> SnapshotReader.read(store, object.key(), object, 1_000_001, 1_000_000))
        .isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining(object.key().toString())
        .hasMessageContaining("larger than 1000000 bytes");
    assertThat(store.calls(TrackingObjectStore.Operation.OPEN)).isZero();
  }

  @Test
  void read_hundredThousandFiles_streamedIntoRefs() throws IOException {
    StringBuilder files = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      files
          .append(i == 0 ? "" : ", ")
          .append(FILE.replace("0000000006.parquet", String.format("%010d.parquet", i)));
    }
    byte[] bytes =
        snapshot("\"node_id\": \"node0\", ", "[[1, {\"tables\": [[2, [" + files + "]]]}]]", "")
            .getBytes(StandardCharsets.UTF_8);
    InMemoryObjectStore store = new InMemoryObjectStore();
    NodeObject object = object("18446744073709551614");
    store.write(object.key(), ObjectContent.ofBytes(bytes), WriteMode.CREATE_NEW);

    assertThat(SnapshotReader.read(store, object.key(), object, bytes.length).added())
        .hasSize(100_000);
  }

  @Test
  void parseIndex_idsAfterTheFiles_filesBelongToTheTable() throws IOException {
    NodeObject index =
        CoreLayout.of(NodeId.of("node0"))
            .classify(ObjectKey.of("node0/db-indices/1/2/index.info.json"));
    String json =
        "{\"node_id\": \"node0\", \"files\": ["
            + FILE
            + "], \"latest_snapshot_sequence_number\": 4, \"db_id\": 1, \"table_id\": 2, \"row_count\": 1}";

    TableIndexFile parsed = SnapshotReader.parseIndex(index, json.getBytes(StandardCharsets.UTF_8));

    assertThat(parsed.latestSnapshotSequence()).isEqualTo(4);
    assertThat(parsed.files())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.databaseId()).isEqualTo(1);
              assertThat(f.tableId()).isEqualTo(2);
            });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no files | {\"db_id\": 1, \"table_id\": 2, \"latest_snapshot_sequence_number\": 4} | no \"files\" array",
        "negative table | {\"db_id\": 1, \"table_id\": -2, \"files\": [], \"latest_snapshot_sequence_number\": 4} | out of the unsigned 64-bit range",
        "no latest | {\"db_id\": 1, \"table_id\": 2, \"files\": []} | latest_snapshot_sequence_number",
        "duplicate table id | {\"db_id\": 1, \"table_id\": 2, \"table_id\": 3, \"files\": [], \"latest_snapshot_sequence_number\": 4} | duplicate field \"table_id\"",
        "duplicate files | {\"db_id\": 1, \"table_id\": 2, \"files\": [], \"files\": [], \"latest_snapshot_sequence_number\": 4} | duplicate field \"files\"",
        "foreign path | {\"db_id\": 1, \"table_id\": 2, \"files\": [OTHER], \"latest_snapshot_sequence_number\": 4} | outside the node prefix",
      })
  void parseIndex_hostile_typedErrorNamingFile(String name, String json, String reason) {
    NodeObject index =
        CoreLayout.of(NodeId.of("node0"))
            .classify(ObjectKey.of("node0/db-indices/1/2/index.info.json"));
    byte[] bytes =
        json.replace("OTHER", FILE.replace("node0/", "node1/")).getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> SnapshotReader.parseIndex(index, bytes))
        .isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("node0/db-indices/1/2/index.info.json")
        .hasMessageContaining(reason);
  }

  @Test
  void parseConversionMarker_realForm_lastSequence() throws IOException {
    NodeObject marker =
        CoreLayout.of(NodeId.of("node0"))
            .classify(ObjectKey.of("node0/table-index-conversion-completed"));

    assertThat(
            SnapshotReader.parseConversionMarker(
                marker,
                "{\n  \"last_sequence_number\": 18446744073709551615\n}"
                    .getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(-1L); // u64::MAX, as the same bits
    assertThatThrownBy(
            () ->
                SnapshotReader.parseConversionMarker(
                    marker, "{\"last\": 1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("node0/table-index-conversion-completed")
        .hasMessageContaining("last_sequence_number");
    assertThatThrownBy(
            () ->
                SnapshotReader.parseConversionMarker(
                    marker,
                    "{\"last_sequence_number\": 1, \"last_sequence_number\": 2}"
                        .getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("duplicate field \"last_sequence_number\"");
  }

  private static String snapshot(String node, String databases, String removed) {
    return "{\"version\": \"1\", "
        + node
        + "\"next_file_id\": 2, \"snapshot_sequence_number\": 1, \"wal_file_sequence_number\": 6,"
        + " \"catalog_sequence_number\": 5, \"parquet_size_bytes\": 10, \"row_count\": 1, \"min_time\": 0, \"max_time\": 9,"
        + " \"databases\": "
        + databases
        + removed
        + "}";
  }

  private static SnapshotFile parse(String json) throws SnapshotFormatException {
    return SnapshotReader.parseSnapshot(
        object("18446744073709551614"), json.getBytes(StandardCharsets.UTF_8));
  }

  private static NodeObject object(String invertedName) {
    return CoreLayout.of(NodeId.of("node0"))
        .classify(ObjectKey.of("node0/snapshots/" + invertedName + ".info.json"));
  }
}
