package io.influxbak.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * A manifest's objects read from their bytes ({@link EntryScanner}) are what Jackson's tokens give:
 * the oracle is the same text in UTF-16, which Jackson decodes to characters, so the scanner steps
 * aside and the entries are read token by token as before the scanner existed.
 */
class EntryScannerPropertiesTest {
  /** What an edit puts in: JSON's punctuation, white space, digits, escapes, beyond ASCII. */
  private static final String[] INSERTS = {
    " ",
    "\n",
    "\t",
    ",",
    "{",
    "}",
    "[",
    "]",
    ":",
    "\"",
    "\\",
    "\\u0041",
    "0",
    "7",
    "-",
    "1e3",
    "null",
    "é",
    "\"x\":1,",
    ",\"size\":5"
  };

  @Property(tries = 200)
  void writtenManifestsReadTheSameFromBytesAndFromTokens(@ForAll Random random) throws IOException {
    List<ManifestEntry> objects = new ArrayList<>();
    int count = random.nextInt(4) == 0 ? 2_000 + random.nextInt(2_000) : random.nextInt(40);
    for (int i = 0; i < count; i++) {
      objects.add(EntryLinesPropertiesTest.entry(random, i));
    }
    BackupManifest manifest =
        ManifestValidationTest.oneWalFile(Optional.empty()).completed(List.of(), objects);
    String text = written(manifest, random.nextBoolean());

    assertThat(read(text, StandardCharsets.UTF_8).entries()).isEqualTo(objects);
    assertThat(read(text, StandardCharsets.UTF_16BE).entries()).isEqualTo(objects);
    // The fast path takes exactly the entries written by hand, the rest go to Jackson.
    int plain = 0;
    for (ManifestEntry entry : objects) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      EntryLines lines = new EntryLines(false);
      lines.add(entry);
      lines.writeTo(line);
      byte[] bytes = line.toByteArray();
      boolean taken = EntryScanner.plainFields(bytes, 0, bytes.length) != null;
      assertThat(taken).isEqualTo(EntryLinesPropertiesTest.isPlainText(entry));
      plain += taken ? 1 : 0;
    }
    Statistics.label("entries read from bytes").collect(plain > 0);
    Statistics.label("entries read by Jackson").collect(plain < count);
    Statistics.label("past the scanner's first buffer").collect(text.length() > 1 << 16);
    Statistics.label("entries read from bytes")
        .coverage(c -> c.check(true).percentage(p -> p > 60));
    Statistics.label("entries read by Jackson")
        .coverage(c -> c.check(true).percentage(p -> p > 60));
    Statistics.label("past the scanner's first buffer")
        .coverage(c -> c.check(true).percentage(p -> p > 10));
  }

  @Property(tries = 1_000)
  void editedManifestsReadAsJacksonReadsThem(@ForAll Random random) throws IOException {
    List<ManifestEntry> objects = new ArrayList<>();
    for (int i = 0; i < 1 + random.nextInt(4); i++) {
      objects.add(EntryLinesPropertiesTest.entry(random, i));
    }
    String text =
        written(
            ManifestValidationTest.oneWalFile(Optional.empty()).completed(List.of(), objects),
            random.nextBoolean());
    int arrayStart = text.indexOf("\"objects\"");
    StringBuilder edited = new StringBuilder(text);
    for (int edits = 1 + random.nextInt(3); edits > 0 && edited.length() > 0; edits--) {
      // mostly in and after the array, where the scanner reads
      int from = random.nextInt(10) == 0 || edited.length() <= arrayStart ? 0 : arrayStart;
      int at = from + random.nextInt(edited.length() - from);
      switch (random.nextInt(7)) {
        case 0, 1 -> edited.insert(at, INSERTS[random.nextInt(INSERTS.length)]);
        case 2, 3 -> edited.deleteCharAt(Math.min(at, edited.length() - 1));
        case 4 -> edited.setLength(Math.max(at, 1)); // cut short
        default -> edited.setCharAt(at, INSERTS[random.nextInt(INSERTS.length)].charAt(0));
      }
    }
    Object fromBytes = outcome(edited.toString(), StandardCharsets.UTF_8);
    Object fromTokens = outcome(edited.toString(), StandardCharsets.UTF_16BE);
    assertThat(fromBytes).isEqualTo(fromTokens);
    Statistics.label("outcome").collect(fromTokens instanceof String ? "refused" : "read");
    Statistics.label("outcome").coverage(c -> c.check("refused").percentage(p -> p > 30));
    Statistics.label("outcome").coverage(c -> c.check("read").percentage(p -> p > 5));
    Statistics.label("cut short").collect("refused: malformed, cut short".equals(fromTokens));
    Statistics.label("cut short").coverage(c -> c.check(true).percentage(p -> p > 5));
  }

  @Example
  void arraySyntaxIsCheckedAsJacksonChecksIt() throws IOException {
    String text =
        written(
            ManifestValidationTest.oneWalFile(Optional.empty())
                .completed(
                    List.of(),
                    List.of(
                        EntryLinesPropertiesTest.entry(new Random(1), 0),
                        EntryLinesPropertiesTest.entry(new Random(2), 1))),
            true);
    int close = text.lastIndexOf(']');
    String trailingComma = text.substring(0, close) + "," + text.substring(close);
    String missingComma = text.replaceFirst("},\n", "}\n");
    String truncated = text.substring(0, close + 1);
    String notAnObject = text.substring(0, close) + ", 5" + text.substring(close);
    String fieldAfter = text.substring(0, close + 1) + ", \"later\": [1, {}]\n}";
    String strayCharacter = text.replaceFirst("},\n", "},\n é");
    for (String broken : List.of(trailingComma, missingComma, truncated)) {
      assertThatThrownBy(() -> read(broken, StandardCharsets.UTF_8))
          .isInstanceOf(ManifestException.class)
          .hasMessageContaining("malformed JSON");
      assertThatThrownBy(() -> read(broken, StandardCharsets.UTF_16BE))
          .isInstanceOf(ManifestException.class);
    }
    assertThatThrownBy(() -> read(notAnObject, StandardCharsets.UTF_8))
        .hasMessageContaining("\"objects\" holds something that is not an object");
    assertThat(read(fieldAfter, StandardCharsets.UTF_8).entries()).hasSize(2);
    assertThatThrownBy(() -> read(strayCharacter, StandardCharsets.UTF_8))
        .hasMessageContaining("malformed JSON")
        .hasMessageNotContaining("end of input");
  }

  @Example
  void anEntryLargerThanTheLimitIsRefusedWhileItStreams() {
    String text =
        written(ManifestValidationTest.oneWalFile(Optional.empty()), true)
            .replaceFirst(
                "\\{\"key\"",
                "{\"pad\":\"" + "x".repeat(EntryScanner.MAX_ENTRY_BYTES) + "\",\"key\"");
    assertThatThrownBy(() -> read(text, StandardCharsets.UTF_8))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("larger than " + EntryScanner.MAX_ENTRY_BYTES + " bytes");
  }

  /** The manifest read, or the message of the {@link ManifestException} that refused it. */
  private static Object outcome(String text, Charset charset) throws IOException {
    try {
      BackupManifest manifest = read(text, charset);
      return List.of(manifest.backupId(), manifest.nodes(), manifest.options(), manifest.entries());
    } catch (ManifestException e) {
      // Jackson's words for malformed JSON are not the scanner's, but both say whether the input
      // was cut short; any other refusal (of an entry's contents, judged by the same code either
      // way) must say the same.
      String message = e.getMessage();
      if (!message.contains("malformed JSON")) {
        return "refused: " + message;
      }
      return message.contains("end-of-input") || message.contains("end of input")
          ? "refused: malformed, cut short"
          : "refused: malformed";
    }
  }

  private static BackupManifest read(String text, Charset charset) throws IOException {
    return ManifestFormat.read(
        new ByteArrayInputStream(text.getBytes(charset)), "manifest.json", 100_000);
  }

  private static String written(BackupManifest manifest, boolean pretty) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (pretty) {
        ManifestFormat.write(manifest, out);
      } else {
        ManifestFormat.writeCompact(manifest, out);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
