package io.influxbak.layout;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The parts of a Parquet key relative to its node prefix: {@code
 * dbs/<db>/<table>/<YYYY-MM-DD>/<HH-MM>/<wal_seq:010>.parquet}, where {@code <db>} and {@code
 * <table>} are {@code <name>-<id>} (3.0 to 3.5; names may contain '-', the id follows the last one)
 * or {@code <id>} (3.6+).
 *
 * @param form which of the two forms the key uses
 * @param databaseName the (percent-encoded) database name, in the name-and-id form
 * @param databaseId the database id
 * @param tableName the (percent-encoded) table name, in the name-and-id form
 * @param tableId the table id
 * @param date the chunk date directory, {@code YYYY-MM-DD}
 * @param time the chunk time directory, {@code HH-MM}
 * @param walSequence the WAL sequence in the file name
 */
public record ParquetPath(
    ParquetPathForm form,
    Optional<String> databaseName,
    long databaseId,
    Optional<String> tableName,
    long tableId,
    String date,
    String time,
    long walSequence) {

  /**
   * Whether {@code text} has a digit (0-9) where {@code shape} has 'd' and its other characters.
   */
  private static boolean digitsAndDashes(String text, String shape) {
    if (text.length() != shape.length()) {
      return false;
    }
    for (int i = 0; i < shape.length(); i++) {
      char c = text.charAt(i);
      if (shape.charAt(i) == 'd' ? c < '0' || c > '9' : c != shape.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Checks that no component is null. */
  public ParquetPath {
    requireNonNull(form, "form is null");
    requireNonNull(databaseName, "databaseName is null");
    requireNonNull(tableName, "tableName is null");
    requireNonNull(date, "date is null");
    requireNonNull(time, "time is null");
  }

  /** Parses a key relative to the node prefix; empty if it is not a Parquet key of either form. */
  public static Optional<ParquetPath> parse(String relativeKey) {
    // Exactly six segments, dbs/<db>/<table>/<date>/<time>/<file>.parquet, found without a regex
    // or a split: this runs for every listed key and every file a snapshot names.
    int[] slashes = new int[5];
    int found = 0;
    for (int i = relativeKey.indexOf('/'); i >= 0; i = relativeKey.indexOf('/', i + 1)) {
      if (found == slashes.length) {
        return Optional.empty();
      }
      slashes[found++] = i;
    }
    if (found != slashes.length
        || slashes[0] != 3
        || !relativeKey.startsWith("dbs")
        || !relativeKey.endsWith(".parquet")) {
      return Optional.empty();
    }
    String date = relativeKey.substring(slashes[2] + 1, slashes[3]);
    String time = relativeKey.substring(slashes[3] + 1, slashes[4]);
    OptionalLong wal =
        SequenceNumbers.parseFixedWidth(
            relativeKey.substring(slashes[4] + 1, relativeKey.length() - ".parquet".length()), 10);
    if (wal.isEmpty() || !digitsAndDashes(date, "dddd-dd-dd") || !digitsAndDashes(time, "dd-dd")) {
      return Optional.empty();
    }
    Optional<NamedId> database = NamedId.parse(relativeKey.substring(slashes[0] + 1, slashes[1]));
    Optional<NamedId> table = NamedId.parse(relativeKey.substring(slashes[1] + 1, slashes[2]));
    if (database.isEmpty() || table.isEmpty()) {
      return Optional.empty();
    }
    ParquetPathForm form =
        database.get().name().isPresent() || table.get().name().isPresent()
            ? ParquetPathForm.NAME_AND_ID
            : ParquetPathForm.ID_ONLY;
    return Optional.of(
        new ParquetPath(
            form,
            database.get().name(),
            database.get().id(),
            table.get().name(),
            table.get().id(),
            date,
            time,
            wal.getAsLong()));
  }

  /** A directory segment {@code <name>-<id>} or {@code <id>}. */
  private record NamedId(Optional<String> name, long id) {
    static Optional<NamedId> parse(String segment) {
      int dash = segment.lastIndexOf('-');
      // The id: the digits after the last dash, or the whole segment; a name is never empty.
      String digits = segment.substring(dash + 1);
      if (dash == 0 || !CoreLayout.isId(digits)) {
        return Optional.empty();
      }
      Optional<String> name = dash < 0 ? Optional.empty() : Optional.of(segment.substring(0, dash));
      try {
        return Optional.of(new NamedId(name, Long.parseLong(digits)));
      } catch (NumberFormatException e) {
        return Optional.empty(); // 19 digits above 2^63-1: not an id InfluxDB writes
      }
    }
  }
}
