package io.influxbak.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.influxbak.store.ObjectKey;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The strict JSON reading the snapshot reader builds on: one parser configuration (bounded nesting,
 * numbers and strings), typed field readers that name the file and the field when a value is not
 * what serde wrote, the duplicate-field check ({@link #first}), and the check that a file holds
 * exactly one object.
 */
final class StrictJson {
  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(64)
                  .maxNumberLength(40)
                  .maxStringLength(1 << 20)
                  .build())
          // Duplicate fields are refused by each object's reader (first), as serde refuses them:
          // a known field given twice. Jackson's own check kept a set of names per object, four
          // times the parse of a 20,000-file snapshot.
          .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
          .build();

  /**
   * Reads the body of one kind of file from a parser positioned on the opening brace of its object.
   */
  @FunctionalInterface
  interface Body<T> {
    T parse(JsonParser json) throws IOException;
  }

  private StrictJson() {}

  /**
   * The next field name of the current object, with the parser moved onto its value; null at the
   * object's end.
   */
  static String nextField(JsonParser json) throws IOException {
    if (json.nextToken() != JsonToken.FIELD_NAME) {
      return null;
    }
    String name = json.currentName();
    json.nextToken();
    return name;
  }

  /**
   * Refuses a known field given twice in one object, as serde's derived readers do ("duplicate
   * field"), rather than keep the last one; unknown fields are skipped each time, as serde skips
   * them.
   *
   * @param seen whether {@code field} was already read in this object
   */
  static void first(ObjectKey key, String field, boolean seen) throws SnapshotFormatException {
    if (seen) {
      throw new SnapshotFormatException(key, "duplicate field \"" + field + "\"", null);
    }
  }

  /** {@link #u64}, refused as a duplicate field if {@code previous} holds a value. */
  static OptionalLong u64(ObjectKey key, JsonParser json, String field, OptionalLong previous)
      throws IOException {
    first(key, field, previous.isPresent());
    return OptionalLong.of(u64(key, json, field));
  }

  /** {@link #i64}, refused as a duplicate field if {@code previous} holds a value. */
  static OptionalLong i64(ObjectKey key, JsonParser json, String field, OptionalLong previous)
      throws IOException {
    first(key, field, previous.isPresent());
    return OptionalLong.of(i64(key, json, field));
  }

  /** {@link #text}, refused as a duplicate field if {@code previous} holds a value. */
  static Optional<String> text(
      ObjectKey key, JsonParser json, String field, Optional<String> previous) throws IOException {
    first(key, field, previous.isPresent());
    return Optional.of(text(key, json, field));
  }

  static String text(ObjectKey key, JsonParser json, String field) throws IOException {
    if (json.currentToken() != JsonToken.VALUE_STRING) {
      throw new SnapshotFormatException(key, "\"" + field + "\" is not a string", null);
    }
    return json.getText();
  }

  /** An unsigned 64-bit JSON integer, as a Java long holding the same bits. */
  static long u64(ObjectKey key, JsonParser json, String field) throws IOException {
    if (json.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw new SnapshotFormatException(key, "\"" + field + "\" is not an integer", null);
    }
    if (json.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      long value = json.getLongValue(); // no BigInteger for the common case: one per field
      if (value >= 0) {
        return value;
      }
    }
    BigInteger number = json.getBigIntegerValue();
    if (number.signum() < 0 || number.compareTo(U64_MAX) > 0) {
      throw new SnapshotFormatException(
          key, "\"" + field + "\" is out of the unsigned 64-bit range: " + number, null);
    }
    return number.longValue();
  }

  static long i64(ObjectKey key, JsonParser json, String field) throws IOException {
    if (json.currentToken() != JsonToken.VALUE_NUMBER_INT
        || json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new SnapshotFormatException(key, "\"" + field + "\" is not a 64-bit integer", null);
    }
    return json.getLongValue();
  }

  static SnapshotFormatException missing(ObjectKey key, String field) {
    return new SnapshotFormatException(key, "missing required field \"" + field + "\"", null);
  }

  static <T> T parseBytes(ObjectKey key, byte[] bytes, Body<T> body)
      throws SnapshotFormatException {
    try {
      return parse(key, JSON.createParser(bytes), body);
    } catch (SnapshotFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new AssertionError("reading bytes in memory cannot fail", e);
    }
  }

  /** Parses the whole of {@code in} as one object of {@code key}. */
  static <T> T parse(ObjectKey key, InputStream in, Body<T> body) throws IOException {
    return parse(key, JSON.createParser(in), body);
  }

  private static <T> T parse(ObjectKey key, JsonParser json, Body<T> body) throws IOException {
    try (json) {
      JsonToken first = json.nextToken();
      if (first == null) {
        throw new SnapshotFormatException(key, "empty file", null);
      }
      if (first != JsonToken.START_OBJECT) {
        throw new SnapshotFormatException(key, "not a JSON object", null);
      }
      T value = body.parse(json);
      if (json.nextToken() != null) {
        throw new SnapshotFormatException(key, "data after the JSON object", null);
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new SnapshotFormatException(
          key, "bad or truncated JSON (" + e.getOriginalMessage() + ")", e);
    }
  }
}
