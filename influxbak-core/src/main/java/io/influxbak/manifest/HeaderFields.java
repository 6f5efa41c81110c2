package io.influxbak.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.NodeId;
import io.influxbak.store.InvalidKeyException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the fields of a manifest's header strictly: each of the right JSON type and form, or a
 * {@link ManifestException} naming the manifest and the field.
 */
final class HeaderFields {
  private HeaderFields() {}

  static Product product(String name, String value) throws ManifestException {
    try {
      return Product.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ManifestException(name, "unknown product " + value, e);
    }
  }

  static Instant instant(String name, String value) throws ManifestException {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new ManifestException(name, "invalid createdAt " + value, e);
    }
  }

  static ImmutableList<NodeId> nodeIds(String name, JsonParser json) throws IOException {
    if (json.currentToken() != JsonToken.START_ARRAY) {
      throw new ManifestException(name, "\"nodes\" is not an array", null);
    }
    ImmutableList.Builder<NodeId> ids = ImmutableList.builder();
    while (json.nextToken() != JsonToken.END_ARRAY) {
      String node = string(name, "nodes", json);
      try {
        ids.add(NodeId.of(node));
      } catch (InvalidKeyException e) {
        throw new ManifestException(name, "invalid node id: " + e.getMessage(), e);
      }
    }
    return ids.build();
  }

  /** The current value as a non-empty string, or the error naming the field. */
  static String string(String name, String field, JsonParser json)
      throws ManifestException, IOException {
    if (json.currentToken() != JsonToken.VALUE_STRING || json.getText().isEmpty()) {
      throw new ManifestException(
          name,
          "\""
              + field
              + "\" is not a non-empty string ("
              + (json.currentToken() == JsonToken.VALUE_STRING ? "empty" : json.currentToken())
              + ")",
          null);
    }
    return json.getText();
  }

  /**
   * The object the parser is at, of string values, read from the token stream (a databind mapper
   * cost a command-line run the loading of its 400 classes); a value of another type, or a name
   * given twice, is refused.
   */
  static ImmutableMap<String, String> stringMap(String name, String field, JsonParser json)
      throws IOException {
    if (json.currentToken() != JsonToken.START_OBJECT) {
      throw new ManifestException(name, "\"" + field + "\" is not an object", null);
    }
    Map<String, String> values = new LinkedHashMap<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String key = json.currentName();
      if (json.nextToken() != JsonToken.VALUE_STRING) {
        throw new ManifestException(
            name,
            "\"" + field + "." + key + "\" is not a string (" + json.currentToken() + ")",
            null);
      }
      if (values.put(key, json.getText()) != null) {
        throw new ManifestException(name, "\"" + field + "\" gives \"" + key + "\" twice", null);
      }
    }
    return ImmutableMap.copyOf(values);
  }

  static ClusterId clusterId(String name, String cluster) throws ManifestException {
    try {
      return ClusterId.of(cluster);
    } catch (InvalidKeyException e) {
      throw new ManifestException(name, "invalid cluster id: " + e.getMessage(), e);
    }
  }

  static void require(String name, String field, Object value) throws ManifestException {
    if (value == null) {
      throw new ManifestException(name, "missing " + field, null);
    }
  }
}
