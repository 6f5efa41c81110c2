package io.influxbak.task;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.Encoding;
import io.influxbak.manifest.EntryFormat;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestException;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.StoreLocation;
import io.influxbak.store.WriteMode;
import io.influxbak.transfer.Compression;
import io.influxbak.transfer.CopyStep;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The text form of {@link CopyTask}s and {@link TaskReport}s: JSON, entries as a manifest holds
 * them ({@link EntryFormat}), a backup's journal template as a compact manifest. Reading is strict:
 * anything else is a {@link ManifestException} naming the record.
 */
final class TaskCodec {
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

  private TaskCodec() {}

  static String encode(CopyTask task) {
    return write(
        json -> {
          json.writeStringField("name", task.name());
          CopyJob job = task.job();
          json.writeStringField("operation", job.operation());
          json.writeStringField("phase", task.phase().name());
          location(json, "source", job.source());
          location(json, "destination", job.destination());
          json.writeStringField("destinationRoot", job.destinationRoot().toString());
          CopyJob.Settings settings = job.settings();
          json.writeStringField("mode", settings.mode().name());
          json.writeStringField("hashes", settings.hashes().name());
          json.writeObjectFieldStart("compression");
          json.writeStringField("encoding", settings.compression().encoding().name());
          json.writeNumberField("level", settings.compression().level());
          json.writeArrayFieldStart("kinds");
          for (ObjectKind kind : settings.compression().kinds()) {
            json.writeString(kind.name());
          }
          json.writeEndArray();
          json.writeEndObject();
          json.writeNumberField("maxAttempts", settings.retry().maxAttempts());
          json.writeNumberField(
              "initialBackoffMillis", settings.retry().initialBackoff().toMillis());
          json.writeNumberField("maxBackoffMillis", settings.retry().maxBackoff().toMillis());
          json.writeNumberField("parallelism", settings.parallelism());
          json.writeBooleanField("serverDeletesMayVanish", settings.serverDeletesMayVanish());
          if (job.journal().isPresent()) {
            ByteArrayOutputStream template = new ByteArrayOutputStream();
            ManifestFormat.writeCompact(job.journal().get(), template);
            json.writeStringField("journal", template.toString(StandardCharsets.UTF_8));
          }
          json.writeArrayFieldStart("steps");
          for (TaskStep step : task.steps()) {
            json.writeStartObject();
            json.writeStringField("key", step.step().key().toString());
            json.writeStringField("kind", step.step().kind().name());
            json.writeNumberField("size", step.step().size());
            json.writeStringField("source", step.source().toString());
            json.writeStringField("encoding", step.encoding().name());
            if (step.expected().isPresent()) {
              ExpectedContent expected = step.expected().get();
              json.writeNumberField("expectedSize", expected.size());
              if (expected.crc32c().isPresent()) {
                json.writeStringField("crc32c", expected.crc32c().get().hex());
              }
              if (expected.sha256().isPresent()) {
                json.writeStringField("sha256", expected.sha256().get().hex());
              }
            }
            json.writeEndObject();
          }
          json.writeEndArray();
        });
  }

  static CopyTask decodeTask(String text) throws ManifestException {
    JsonNode root = tree("copy task", text);
    String name = "copy task " + root.path("name").asText("?");
    try {
      CopyPhase phase = CopyPhase.valueOf(field(name, root, "phase").asText());
      JsonNode compression = field(name, root, "compression");
      Set<ObjectKind> kinds = EnumSet.noneOf(ObjectKind.class);
      for (JsonNode kind : field(name, compression, "kinds")) {
        kinds.add(ObjectKind.valueOf(kind.asText()));
      }
      CopyJob.Settings settings =
          new CopyJob.Settings(
              WriteMode.valueOf(field(name, root, "mode").asText()),
              Hashes.valueOf(field(name, root, "hashes").asText()),
              new Compression(
                  Encoding.valueOf(field(name, compression, "encoding").asText()),
                  field(name, compression, "level").asInt(),
                  kinds),
              new RetryPolicy(
                  field(name, root, "maxAttempts").asInt(),
                  Duration.ofMillis(field(name, root, "initialBackoffMillis").asLong()),
                  Duration.ofMillis(field(name, root, "maxBackoffMillis").asLong()),
                  RetryPolicy.Sleeper.REAL),
              field(name, root, "parallelism").asInt(),
              field(name, root, "serverDeletesMayVanish").asBoolean());
      Optional<BackupManifest> journal = Optional.empty();
      JsonNode template = root.get("journal");
      if (template != null) {
        journal =
            Optional.of(
                ManifestFormat.readHeader(
                    new ByteArrayInputStream(template.asText().getBytes(StandardCharsets.UTF_8)),
                    name));
      }
      List<TaskStep> steps = new ArrayList<>();
      for (JsonNode step : field(name, root, "steps")) {
        steps.add(step(name, phase, step));
      }
      return new CopyTask(
          field(name, root, "name").asText(),
          phase,
          new CopyJob(
              field(name, root, "operation").asText(),
              location(name, field(name, root, "source")),
              location(name, field(name, root, "destination")),
              KeyPrefix.of(field(name, root, "destinationRoot").asText()),
              settings,
              journal),
          ImmutableList.copyOf(steps));
    } catch (IllegalArgumentException | IOException e) {
      if (e instanceof ManifestException manifest) {
        throw manifest;
      }
      throw new ManifestException(name, e.getMessage(), e);
    }
  }

  static String encode(TaskReport report) {
    return write(
        json -> {
          json.writeStringField("task", report.task());
          json.writeArrayFieldStart("copied");
          for (ManifestEntry entry : report.copied()) {
            EntryFormat.write(entry, json);
          }
          json.writeEndArray();
          json.writeArrayFieldStart("vanished");
          for (ReportedObject gone : report.vanished()) {
            json.writeStartObject();
            json.writeStringField("key", gone.key().toString());
            json.writeStringField("kind", gone.kind().name());
            json.writeStringField("disposition", gone.disposition().name());
            json.writeStringField("reason", gone.reason());
            json.writeEndObject();
          }
          json.writeEndArray();
          json.writeArrayFieldStart("failed");
          for (TaskReport.Failure failure : report.failed()) {
            json.writeStartObject();
            json.writeStringField("key", failure.key().toString());
            json.writeStringField("reason", failure.reason());
            json.writeEndObject();
          }
          json.writeEndArray();
        });
  }

  static TaskReport decodeReport(String text) throws ManifestException {
    JsonNode root = tree("task report", text);
    String name = "report of task " + root.path("task").asText("?");
    try {
      ImmutableList.Builder<ManifestEntry> copied = ImmutableList.builder();
      for (JsonNode entry : field(name, root, "copied")) {
        copied.add(EntryFormat.read(name, entry));
      }
      ImmutableList.Builder<ReportedObject> vanished = ImmutableList.builder();
      for (JsonNode gone : field(name, root, "vanished")) {
        vanished.add(
            new ReportedObject(
                ObjectKey.of(field(name, gone, "key").asText()),
                ObjectKind.valueOf(field(name, gone, "kind").asText()),
                ReportedObject.Disposition.valueOf(field(name, gone, "disposition").asText()),
                field(name, gone, "reason").asText()));
      }
      ImmutableList.Builder<TaskReport.Failure> failed = ImmutableList.builder();
      for (JsonNode failure : field(name, root, "failed")) {
        failed.add(
            new TaskReport.Failure(
                ObjectKey.of(field(name, failure, "key").asText()),
                field(name, failure, "reason").asText()));
      }
      return new TaskReport(
          field(name, root, "task").asText(), copied.build(), vanished.build(), failed.build());
    } catch (IllegalArgumentException e) {
      throw new ManifestException(name, e.getMessage(), e);
    }
  }

  private static TaskStep step(String name, CopyPhase phase, JsonNode raw) throws IOException {
    ObjectKey key = ObjectKey.of(field(name, raw, "key").asText());
    Optional<ExpectedContent> expected = Optional.empty();
    JsonNode expectedSize = raw.get("expectedSize");
    if (expectedSize != null) {
      expected =
          Optional.of(
              new ExpectedContent(
                  expectedSize.asLong(),
                  checksum(raw, "crc32c", ChecksumAlgorithm.CRC32C),
                  checksum(raw, "sha256", ChecksumAlgorithm.SHA256)));
    }
    return new TaskStep(
        new CopyStep(
            key,
            ObjectKind.valueOf(field(name, raw, "kind").asText()),
            phase,
            field(name, raw, "size").asLong()),
        ObjectKey.of(field(name, raw, "source").asText()),
        Encoding.valueOf(field(name, raw, "encoding").asText()),
        expected);
  }

  private static Optional<Checksum> checksum(
      JsonNode raw, String field, ChecksumAlgorithm algorithm) {
    JsonNode value = raw.get(field);
    return value == null ? Optional.empty() : Optional.of(new Checksum(algorithm, value.asText()));
  }

  private static void location(JsonGenerator json, String field, StoreLocation location)
      throws IOException {
    json.writeObjectFieldStart(field);
    json.writeStringField("uri", location.uri().toString());
    json.writeObjectFieldStart("properties");
    for (Map.Entry<String, String> setting : location.properties().entrySet()) {
      json.writeStringField(setting.getKey(), setting.getValue());
    }
    json.writeEndObject();
    json.writeEndObject();
  }

  private static StoreLocation location(String name, JsonNode raw) throws ManifestException {
    Map<String, String> properties = new LinkedHashMap<>();
    field(name, raw, "properties")
        .fields()
        .forEachRemaining(setting -> properties.put(setting.getKey(), setting.getValue().asText()));
    return new StoreLocation(
        URI.create(field(name, raw, "uri").asText()), ImmutableMap.copyOf(properties));
  }

  private static JsonNode field(String name, JsonNode raw, String field) throws ManifestException {
    JsonNode value = raw.get(field);
    if (value == null || value.isNull()) {
      throw new ManifestException(name, "it has no " + field, null);
    }
    return value;
  }

  private static JsonNode tree(String what, String text) throws ManifestException {
    try {
      JsonNode root = MAPPER.readTree(text);
      if (root == null || !root.isObject()) {
        throw new ManifestException(what, "not a JSON object", null);
      }
      return root;
    } catch (IOException e) {
      if (e instanceof ManifestException manifest) {
        throw manifest;
      }
      throw new ManifestException(what, "not JSON: " + e.getMessage(), e);
    }
  }

  /** Writes the fields of one JSON object. */
  private interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  private static String write(Fields fields) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
    return out.toString();
  }
}
