package io.influxbak.layout;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

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
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern TIME = Pattern.compile("\\d{2}-\\d{2}");

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
    List<String> parts = List.of(relativeKey.split("/", -1));
    if (parts.size() != 6 || !parts.get(0).equals("dbs") || !parts.get(5).endsWith(".parquet")) {
      return Optional.empty();
    }
    String fileName = parts.get(5);
    OptionalLong wal =
        SequenceNumbers.parseFixedWidth(
            fileName.substring(0, fileName.length() - ".parquet".length()), 10);
    if (wal.isEmpty()
        || !DATE.matcher(parts.get(3)).matches()
        || !TIME.matcher(parts.get(4)).matches()) {
      return Optional.empty();
    }
    Optional<NamedId> database = NamedId.parse(parts.get(1));
    Optional<NamedId> table = NamedId.parse(parts.get(2));
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
            parts.get(3),
            parts.get(4),
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
