package io.influxbak.lease;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * What a lease object says: who holds it (host, process, a random id for this run), for what
 * operation, backup and nodes, since when and until when. Stored as a small JSON object.
 *
 * @param operation what the holder is doing
 * @param backupId the backup it writes, restores or resumes; empty for a prune
 * @param nodes the nodes (or cluster) it works on; empty for a prune
 * @param host the host name of the holder
 * @param pid the holder's process id
 * @param run a random id of this run, told apart from another run on the same host and process
 * @param since when the holder took the lease
 * @param until when the lease expires unless renewed
 */
public record LeaseRecord(
    LeaseOperation operation,
    Optional<String> backupId,
    List<String> nodes,
    String host,
    long pid,
    String run,
    Instant since,
    Instant until) {
  /** The format's name, so that a stray object is never taken for a lease. */
  static final String FORMAT = "influxbak-lease/1";

  private static final JsonFactory WRITER = new JsonFactory();

  /**
   * Reads leases: made on the first read, which a run that takes a free lease never makes (the
   * mapper's classes cost a cold command-line run about a tenth of a second to load).
   */
  private static final class Reader {
    static final ObjectMapper JSON = new ObjectMapper();
  }

  /** Validates and copies the nodes. */
  public LeaseRecord {
    requireNonNull(operation, "operation is null");
    requireNonNull(backupId, "backupId is null");
    nodes = ImmutableList.copyOf(nodes);
    requireNonNull(host, "host is null");
    requireNonNull(run, "run is null");
    requireNonNull(since, "since is null");
    requireNonNull(until, "until is null");
  }

  /** The same record, expiring at {@code until}. */
  LeaseRecord until(Instant until) {
    return new LeaseRecord(operation, backupId, nodes, host, pid, run, since, until);
  }

  /** Who holds it, in one line for messages: operation, backup, host, process and until when. */
  public String describe() {
    return operation.name().toLowerCase(java.util.Locale.ROOT)
        + backupId.map(id -> " of " + id).orElse("")
        + (nodes.isEmpty() ? "" : " (nodes " + String.join(", ", nodes) + ")")
        + " by "
        + host
        + " pid "
        + pid
        + " since "
        + since
        + ", until "
        + until;
  }

  /** The JSON stored in the lease object. */
  byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = WRITER.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("format", FORMAT);
      json.writeStringField("operation", operation.name());
      if (backupId.isPresent()) {
        json.writeStringField("backupId", backupId.get());
      }
      json.writeArrayFieldStart("nodes");
      for (String node : nodes) {
        json.writeString(node);
      }
      json.writeEndArray();
      json.writeStringField("host", host);
      json.writeNumberField("pid", pid);
      json.writeStringField("run", run);
      json.writeStringField("since", since.toString());
      json.writeStringField("until", until.toString());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /**
   * Reads a lease object's JSON.
   *
   * @param where the lease object, for messages
   * @throws IOException naming {@code where} and the field when it is not a lease this version
   *     reads
   */
  static LeaseRecord fromJson(byte[] json, String where) throws IOException {
    JsonNode node;
    try {
      node = Reader.JSON.readTree(json);
    } catch (IOException e) {
      throw new IOException("Lease " + where + " is not JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject() || !FORMAT.equals(text(node, "format", where))) {
      throw new IOException("Lease " + where + " is not an " + FORMAT + " lease");
    }
    try {
      ImmutableList.Builder<String> nodes = ImmutableList.builder();
      JsonNode array = node.path("nodes");
      if (!array.isArray()) {
        throw new IOException("Lease " + where + " has no nodes array");
      }
      for (JsonNode element : array) {
        nodes.add(element.asText());
      }
      if (!node.path("pid").canConvertToLong()) {
        throw new IOException("Lease " + where + " has no numeric pid");
      }
      return new LeaseRecord(
          LeaseOperation.valueOf(text(node, "operation", where)),
          node.hasNonNull("backupId")
              ? Optional.of(node.get("backupId").asText())
              : Optional.empty(),
          nodes.build(),
          text(node, "host", where),
          node.get("pid").asLong(),
          text(node, "run", where),
          Instant.parse(text(node, "since", where)),
          Instant.parse(text(node, "until", where)));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IOException("Lease " + where + " has a field it cannot read: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String field, String where) throws IOException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IOException("Lease " + where + " has no " + field);
    }
    return value.asText();
  }
}
