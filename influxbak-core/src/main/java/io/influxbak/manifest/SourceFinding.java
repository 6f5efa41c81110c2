package io.influxbak.manifest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.common.collect.ImmutableList;
import io.influxbak.store.ObjectKey;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * A warning or error the consistency check found in the node data a backup copied (the source at
 * its consistency point), recorded in the manifest so that the backup states its source's
 * condition, and so that a later check of the backup, or of a node restored from it, gives the same
 * finding with the same severity (a Parquet file already absent at the source stays a warning).
 *
 * @param severity how much it matters
 * @param key the object it is about (its node key)
 * @param reason what was found, in words
 */
public record SourceFinding(Severity severity, ObjectKey key, String reason) {
  /** The severities a manifest records (information is not recorded). */
  public enum Severity {
    /** Something the server tolerates but an operator should look at. */
    WARNING,
    /** The source was not consistent there: the backup is faithful to a damaged node. */
    ERROR
  }

  /** Checks that no component is null. */
  public SourceFinding {
    requireNonNull(severity, "severity is null");
    requireNonNull(key, "key is null");
    requireNonNull(reason, "reason is null");
  }

  /** How many of {@code findings} are errors. */
  public static long errors(List<SourceFinding> findings) {
    return findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
  }

  /** Writes {@code findings} as the manifest's {@code "sourceFindings"} array. */
  static void write(List<SourceFinding> findings, JsonGenerator json) throws IOException {
    json.writeArrayFieldStart("sourceFindings");
    for (SourceFinding finding : findings) {
      json.writeStartObject();
      json.writeStringField("severity", finding.severity().name());
      json.writeStringField("key", finding.key().toString());
      json.writeStringField("reason", finding.reason());
      json.writeEndObject();
    }
    json.writeEndArray();
  }

  /** Reads the {@code "sourceFindings"} array the parser is at, strictly. */
  static ImmutableList<SourceFinding> read(String name, JsonParser json) throws IOException {
    if (json.currentToken() != JsonToken.START_ARRAY) {
      throw new ManifestException(name, "\"sourceFindings\" is not an array", null);
    }
    ImmutableList.Builder<SourceFinding> findings = ImmutableList.builder();
    while (json.nextToken() == JsonToken.START_OBJECT) {
      String severity = null;
      String key = null;
      String reason = null;
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        json.nextToken();
        switch (field) {
          case "severity" -> severity = HeaderFields.string(name, "sourceFindings.severity", json);
          case "key" -> key = HeaderFields.string(name, "sourceFindings.key", json);
          case "reason" -> reason = HeaderFields.string(name, "sourceFindings.reason", json);
          default -> json.skipChildren();
        }
      }
      HeaderFields.require(name, "sourceFindings.severity", severity);
      HeaderFields.require(name, "sourceFindings.key", key);
      HeaderFields.require(name, "sourceFindings.reason", reason);
      try {
        findings.add(
            new SourceFinding(
                Severity.valueOf(severity.toUpperCase(Locale.ROOT)), ObjectKey.of(key), reason));
      } catch (IllegalArgumentException e) {
        throw new ManifestException(
            name, "invalid source finding (" + severity + ", " + key + "): " + e.getMessage(), e);
      }
    }
    if (json.currentToken() != JsonToken.END_ARRAY) {
      throw new ManifestException(
          name, "\"sourceFindings\" holds something that is not an object", null);
    }
    return findings.build();
  }
}
