package io.influxbak.manifest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import io.influxbak.layout.NodeId;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Writes a manifest's text ({@link ManifestFormat#write}), in one go or, for {@link
 * ManifestStream}, its head, its entries and its tail as they are asked for.
 */
final class ManifestWriter {
  private ManifestWriter() {}

  /** Entries' bytes gathered before they are written on. */
  static final int FLUSH_AT = 1 << 16;

  static void write(BackupManifest manifest, OutputStream out, boolean pretty) throws IOException {
    try (JsonGenerator json = generator(out, pretty)) {
      PrettyPrinter indented = writeHead(manifest, json, pretty);
      if (!manifest.entries().isEmpty()) {
        EntryLines lines = new EntryLines(pretty);
        EntryLines.begin(json);
        for (ManifestEntry entry : manifest.entries()) {
          lines.add(entry);
          if (lines.pending() >= FLUSH_AT) {
            lines.writeTo(out);
          }
        }
        lines.writeTo(out);
      }
      writeTail(json, indented);
    }
  }

  static JsonGenerator generator(OutputStream out, boolean pretty) throws IOException {
    JsonGenerator json = ManifestFormat.JSON.createGenerator(out, JsonEncoding.UTF8);
    if (pretty) {
      json.useDefaultPrettyPrinter();
    }
    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return json;
  }

  /**
   * Writes every field before the objects' entries and opens their array; returns the printer to
   * restore after it.
   */
  static @Nullable PrettyPrinter writeHead(
      BackupManifest manifest, JsonGenerator json, boolean pretty) throws IOException {
    json.writeStartObject();
    json.writeNumberField("formatVersion", ManifestFormat.requiredVersion(manifest));
    json.writeStringField("backupId", manifest.backupId());
    json.writeStringField("createdAt", manifest.createdAt().toString());
    json.writeStringField("libraryVersion", manifest.libraryVersion());
    json.writeStringField("product", manifest.product().name().toLowerCase(Locale.ROOT));
    json.writeArrayFieldStart("nodes");
    for (NodeId node : manifest.nodes()) {
      json.writeString(node.toString());
    }
    json.writeEndArray();
    json.writeFieldName("cluster");
    if (manifest.cluster().isPresent()) {
      json.writeString(manifest.cluster().get().toString());
    } else {
      json.writeNull();
    }
    json.writeFieldName("pinnedSnapshotSequence");
    if (manifest.pinnedSnapshotSequence().isPresent()) {
      json.writeNumber(Long.toUnsignedString(manifest.pinnedSnapshotSequence().getAsLong()));
    } else {
      json.writeNull();
    }
    json.writeStringField("source", manifest.source());
    json.writeObjectFieldStart("options");
    for (Map.Entry<String, String> option : manifest.options().entrySet()) {
      json.writeStringField(option.getKey(), option.getValue());
    }
    json.writeEndObject();
    if (manifest.sourceFindings().isPresent()) {
      SourceFinding.write(manifest.sourceFindings().get(), json);
    }
    json.writeFieldName("objects");
    PrettyPrinter indented = json.getPrettyPrinter();
    if (pretty) {
      json.setPrettyPrinter(EntryLinesPrinter.INSTANCE);
    }
    json.writeStartArray();
    return indented;
  }

  /** Closes the objects' array and the manifest. */
  static void writeTail(JsonGenerator json, @Nullable PrettyPrinter indented) throws IOException {
    json.writeEndArray();
    json.setPrettyPrinter(indented);
    json.writeEndObject();
  }
}
