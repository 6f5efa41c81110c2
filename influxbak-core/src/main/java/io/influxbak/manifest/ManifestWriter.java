package io.influxbak.manifest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import io.influxbak.layout.NodeId;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Writes a manifest's text ({@link ManifestFormat#write}), in one go or, for {@link
 * ManifestStream}, a step at a time as it is asked for ({@link Steps}).
 */
final class ManifestWriter {
  /** Entries written a step: some 64 KB, a few times the generator's own buffer. */
  static final int ENTRIES_A_STEP = 256;

  private ManifestWriter() {}

  static void write(BackupManifest manifest, OutputStream out, boolean pretty) throws IOException {
    Steps steps = new Steps(manifest, out, pretty);
    while (steps.next()) {
      // each step writes its entries to out
    }
  }

  /**
   * A manifest's text written to one output a step at a time: the head with the first step, {@link
   * #ENTRIES_A_STEP} entries each step ({@link EntryLines}, past the generator, which is flushed
   * before the first), the tail with the last.
   */
  static final class Steps {
    private final BackupManifest manifest;
    private final OutputStream out;
    private final boolean pretty;
    private final Iterator<ManifestEntry> entries;
    private final EntryLines lines;
    private @Nullable JsonGenerator json;
    private @Nullable PrettyPrinter indented;

    Steps(BackupManifest manifest, OutputStream out, boolean pretty) {
      this.manifest = manifest;
      this.out = out;
      this.pretty = pretty;
      this.entries = manifest.entries().iterator();
      this.lines = new EntryLines(pretty);
    }

    /** Writes the next step; false once it wrote the tail, the last. */
    boolean next() throws IOException {
      if (json == null) {
        json = generator(out, pretty);
        indented = writeHead(manifest, json, pretty);
        if (entries.hasNext()) {
          EntryLines.begin(json);
        }
      }
      for (int i = 0; i < ENTRIES_A_STEP && entries.hasNext(); i++) {
        lines.add(entries.next());
      }
      lines.writeTo(out);
      if (entries.hasNext()) {
        return true;
      }
      writeTail(json, indented);
      json.close(); // flushes
      return false;
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
