package io.influxbak.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ObjectKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * A manifest's entries written by hand ({@link EntryLines}) are byte for byte what Jackson writes
 * field by field ({@link EntryFormat#write}), indented or compact, streamed or not: keys with
 * quotes, spaces and characters beyond ASCII (surrogate pairs among them), every encoding, reused
 * copies, checksums present or absent.
 */
class EntryLinesPropertiesTest {
  /** Characters a key segment is drawn from: plain ones, a quote, and beyond ASCII. */
  private static final String[] PIECES = {
    "a", "Z", "0", "9", "-", "_", ".", "~", " ", "=", ",", "\"", "é", "ü", "日", "😀", "\u007e"
  };

  @Property(tries = 200)
  void handWrittenEntriesAreWhatJacksonWrites(@ForAll Random random) throws IOException {
    List<ManifestEntry> objects = new ArrayList<>();
    // now and then past one step of the writer (256 entries)
    int count = random.nextInt(4) == 0 ? 300 + random.nextInt(400) : random.nextInt(40);
    int plain = 0;
    for (int i = 0; i < count; i++) {
      ManifestEntry entry = entry(random, i);
      objects.add(entry);
      plain += isPlainText(entry) ? 1 : 0;
    }
    BackupManifest one = ManifestValidationTest.oneWalFile(Optional.empty());
    BackupManifest manifest = one.completed(List.of(), objects);

    ByteArrayOutputStream indented = new ByteArrayOutputStream();
    ManifestFormat.write(manifest, indented);
    ByteArrayOutputStream compact = new ByteArrayOutputStream();
    ManifestFormat.writeCompact(manifest, compact);

    assertThat(indented.toString(StandardCharsets.UTF_8)).isEqualTo(fieldByField(manifest, true));
    assertThat(compact.toString(StandardCharsets.UTF_8)).isEqualTo(fieldByField(manifest, false));
    assertThat(ManifestFormat.stream(manifest).readAllBytes()).isEqualTo(indented.toByteArray());
    assertThat(
            ManifestFormat.read(
                    new ByteArrayInputStream(indented.toByteArray()), "manifest.json", 1_000)
                .entries())
        .isEqualTo(manifest.entries());
    // Both paths: entries built by hand, and entries whose key needs Jackson's escaping.
    Statistics.label("entries built by hand").collect(plain > 0);
    Statistics.label("entries written by Jackson").collect(plain < count);
    Statistics.label("past one fill").collect(count > 256);
    Statistics.label("past one fill").coverage(c -> c.check(true).percentage(p -> p > 10));
    Statistics.label("entries built by hand").coverage(c -> c.check(true).percentage(p -> p > 60));
    Statistics.label("entries written by Jackson")
        .coverage(c -> c.check(true).percentage(p -> p > 60));
  }

  /** The manifest as Jackson writes it entry by entry, field by field. */
  private static String fieldByField(BackupManifest manifest, boolean pretty) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = ManifestWriter.generator(out, pretty)) {
      PrettyPrinter indented = ManifestWriter.writeHead(manifest, json, pretty);
      for (ManifestEntry entry : manifest.entries()) {
        EntryFormat.write(entry, json);
      }
      ManifestWriter.writeTail(json, indented);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static ManifestEntry entry(Random random, int i) {
    StringBuilder name = new StringBuilder();
    int length = 1 + random.nextInt(6);
    for (int c = 0; c < length; c++) {
      // mostly plain characters, so that half the keys are plain
      name.append(random.nextInt(8) == 0 ? PIECES[random.nextInt(PIECES.length)] : "k");
    }
    ObjectKey key = ObjectKey.of("node0/dbs/1/2/2026-12-03/10-00/" + name + "-" + i + ".parquet");
    long size = random.nextInt(4) == 0 ? 0 : (random.nextLong() >>> 24);
    Optional<Checksum> crc32c =
        random.nextInt(5) == 0
            ? Optional.empty()
            : Optional.of(Checksum.crc32c(random.nextInt() & 0xffffffffL));
    Optional<Checksum> sha256 = Optional.empty();
    if (random.nextBoolean()) {
      byte[] digest = new byte[32];
      random.nextBytes(digest);
      sha256 = Optional.of(Checksum.of(ChecksumAlgorithm.SHA256, digest));
    }
    Encoding encoding = Encoding.values()[random.nextInt(Encoding.values().length)];
    Optional<String> holder =
        random.nextBoolean()
            ? Optional.empty()
            : Optional.of("backup-2026120" + random.nextInt(10));
    StoredCopy stored =
        holder.isEmpty() && encoding == Encoding.IDENTITY
            ? StoredCopy.plain(size, crc32c) // what a manifest says by saying nothing
            : new StoredCopy(
                holder,
                encoding,
                encoding == Encoding.IDENTITY ? size : random.nextInt(1 << 20),
                random.nextBoolean() ? Optional.empty() : Optional.of(Checksum.crc32c(i)));
    return new ManifestEntry(
        key, ObjectKind.PARQUET, CopyPhase.PARQUET, size, crc32c, sha256, stored);
  }

  /** Whether every string of {@code entry} is printable ASCII without quotes or backslashes. */
  static boolean isPlainText(ManifestEntry entry) {
    return entry.key().toString().chars().allMatch(c -> c >= 0x20 && c <= 0x7e && c != '"');
  }
}
