package io.influxbak.store.gcs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import javax.annotation.Nullable;

/**
 * A Google Cloud Storage JSON API server for tests, on the JDK's HTTP server, written from Google's
 * public API reference (https://cloud.google.com/storage/docs/json_api/v1): buckets insert and get;
 * objects list (prefix, delimiter with prefixes, maxResults, pageToken/nextPageToken, in name
 * order), get (metadata, or {@code alt=media} with {@code Range}), insert ({@code
 * uploadType=media}, {@code multipart}, {@code resumable} with its session PUTs, {@code
 * Content-Range}, 308 Resume Incomplete and status queries), delete, and rewrite (tokens,
 * maxBytesRewrittenPerCall); generation preconditions ({@code ifGenerationMatch}, {@code
 * ifGenerationNotMatch}: 412) on every write; crc32c and md5Hash (base64 of the big-endian bytes)
 * on every object, and 400 when an upload declares a crc32c or md5Hash its content does not have;
 * object retention ({@code retention} set by a metadata PATCH, 403 on deleting or overwriting a
 * retained object, a {@code Locked} one never shortened). A request it does not serve gets 501 and
 * is recorded ({@link #unserved()}), so a gap shows instead of passing silently. It counts object
 * bytes received ({@link #mediaBytesIn()}) and sent ({@link #mediaBytesOut()}), so tests can prove
 * that a copy moved no data through the client. Test code only: it models the API, not GCS's
 * performance, limits or authorization.
 */
public final class FakeGcsServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One stored object generation. */
  private record StoredObject(
      byte[] data,
      long generation,
      long metageneration,
      Instant updated,
      String crc32c,
      String md5,
      @Nullable String kmsKeyName) {}

  /** An open resumable upload. */
  private static final class Session {
    final String bucket;
    final String name;
    final JsonNode metadata;
    @Nullable final Long ifGenerationMatch;
    @Nullable final String kmsKeyName;
    final ByteArrayOutputStream data = new ByteArrayOutputStream();

    Session(
        String bucket,
        String name,
        JsonNode metadata,
        @Nullable Long ifGenerationMatch,
        @Nullable String kmsKeyName) {
      this.kmsKeyName = kmsKeyName;
      this.bucket = bucket;
      this.name = name;
      this.metadata = metadata;
      this.ifGenerationMatch = ifGenerationMatch;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, NavigableMap<String, StoredObject>> buckets = new HashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);
  private final AtomicLong mediaIn = new AtomicLong();
  private final AtomicLong mediaOut = new AtomicLong();
  private final List<Transfer> transfers = new ArrayList<>();

  /**
   * Object bytes that crossed the wire for one object.
   *
   * @param name the object's name
   * @param upload whether they came from the client (else went to it)
   * @param bytes how many
   */
  public record Transfer(String name, boolean upload, long bytes) {}

  /**
   * An object retention, by bucket and name ({@code mode} is {@code Locked} or {@code Unlocked}).
   */
  private record Retention(String mode, Instant retainUntil) {}

  private final Map<String, Retention> retentions = new ConcurrentHashMap<>();

  private final List<String> requests = new ArrayList<>();
  private final List<String> unserved = new ArrayList<>();

  private FakeGcsServer(HttpServer server) {
    this.server = server;
  }

  /** Starts a server on a free loopback port. */
  public static FakeGcsServer start() throws IOException {
    HttpServer http =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    FakeGcsServer fake = new FakeGcsServer(http);
    http.createContext("/", fake::handle);
    http.setExecutor(fake.executor);
    http.start();
    return fake;
  }

  /** {@code http://127.0.0.1:<port>}, the host to give the client. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Object bytes received in uploads. */
  public long mediaBytesIn() {
    return mediaIn.get();
  }

  /** Object bytes sent in downloads. */
  public long mediaBytesOut() {
    return mediaOut.get();
  }

  /** Every request so far, as {@code METHOD path?query}. */
  public List<String> requests() {
    synchronized (requests) {
      return ImmutableList.copyOf(requests);
    }
  }

  /** Every object upload and download so far. */
  public List<Transfer> transfers() {
    synchronized (transfers) {
      return ImmutableList.copyOf(transfers);
    }
  }

  private void transferred(String name, boolean upload, long bytes) {
    (upload ? mediaIn : mediaOut).addAndGet(bytes);
    synchronized (transfers) {
      transfers.add(new Transfer(name, upload, bytes));
    }
  }

  /** Requests it answered with 501 (not modelled). */
  public List<String> unserved() {
    synchronized (unserved) {
      return ImmutableList.copyOf(unserved);
    }
  }

  /** Forgets the counts and the request log. */
  public void resetCounts() {
    mediaIn.set(0);
    mediaOut.set(0);
    synchronized (requests) {
      requests.clear();
    }
    synchronized (transfers) {
      transfers.clear();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Thrown to answer with an error status. */
  private static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String reason;

    Failure(int status, String reason, String message) {
      super(message);
      this.status = status;
      this.reason = reason;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String rawPath = exchange.getRequestURI().getRawPath();
    String rawQuery = exchange.getRequestURI().getRawQuery();
    synchronized (requests) {
      requests.add(method + " " + rawPath + (rawQuery == null ? "" : "?" + rawQuery));
    }
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body =
            new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))
                .readAllBytes(); // the client gzips JSON bodies
      }
      route(exchange, method, segments(rawPath), query(rawQuery), body);
    } catch (Failure f) {
      error(exchange, f.status, f.reason, f.getMessage());
    } catch (IOException | RuntimeException e) {
      error(exchange, 500, "backendError", e.toString());
    } finally {
      exchange.close();
    }
  }

  private void route(
      HttpExchange exchange,
      String method,
      List<String> path,
      Map<String, String> query,
      byte[] body)
      throws IOException, Failure {
    // /storage/v1/b[/{bucket}[/o[/{object}[/rewriteTo/b/{bucket}/o/{object}]]]],
    // /download/storage/v1/b/{bucket}/o/{object},
    // and /upload/storage/v1/b/{bucket}/o. An object name's "/" may travel as %2F or as "/": both
    // are read.
    boolean download = path.size() >= 1 && path.get(0).equals("download");
    List<String> api = download ? path.subList(1, path.size()) : path;
    if (api.size() >= 3
        && api.get(0).equals("storage")
        && api.get(1).equals("v1")
        && api.get(2).equals("b")) {
      List<String> rest = api.subList(3, api.size());
      if (rest.isEmpty() && method.equals("POST") && !download) {
        createBucket(exchange, body);
        return;
      }
      if (rest.size() == 1 && method.equals("GET") && !download) {
        bucket(rest.get(0));
        json(
            exchange,
            200,
            JSON.createObjectNode()
                .put("kind", "storage#bucket")
                .put("name", rest.get(0))
                .put("id", rest.get(0)));
        return;
      }
      if (rest.size() == 2 && rest.get(1).equals("o") && method.equals("GET") && !download) {
        list(exchange, rest.get(0), query);
        return;
      }
      if (rest.size() >= 3 && rest.get(1).equals("o")) {
        int rewriteAt = rest.indexOf("rewriteTo");
        if (rewriteAt > 2
            && method.equals("POST")
            && !download
            && rest.size() > rewriteAt + 4
            && rest.get(rewriteAt + 1).equals("b")
            && rest.get(rewriteAt + 3).equals("o")) {
          String from = String.join("/", rest.subList(2, rewriteAt));
          String to = String.join("/", rest.subList(rewriteAt + 4, rest.size()));
          rewrite(exchange, rest.get(0), from, rest.get(rewriteAt + 2), to, query, body);
          return;
        }
        String name = String.join("/", rest.subList(2, rest.size()));
        if (method.equals("GET") && (!download || "media".equals(query.get("alt")))) {
          get(exchange, rest.get(0), name, query);
          return;
        }
        if (method.equals("DELETE") && !download) {
          delete(exchange, rest.get(0), name, query);
          return;
        }
        String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
        if ((method.equals("PATCH") || (method.equals("POST") && "PATCH".equals(override)))
            && !download) {
          patch(exchange, rest.get(0), name, query, body);
          return;
        }
      }
    }
    if (path.size() == 6
        && path.get(0).equals("upload")
        && path.get(1).equals("storage")
        && path.get(2).equals("v1")
        && path.get(3).equals("b")
        && path.get(5).equals("o")) {
      String bucket = path.get(4);
      String type = query.getOrDefault("uploadType", "");
      if (method.equals("POST") && type.equals("multipart")) {
        multipart(exchange, bucket, query, body);
        return;
      }
      if (method.equals("POST") && type.equals("media")) {
        String name = require(query, "name");
        transferred(name, true, body.length);
        StoredObject stored =
            store(
                bucket,
                name,
                body,
                null,
                null,
                precondition(query, "ifGenerationMatch"),
                precondition(query, "ifGenerationNotMatch"),
                kmsKeyName(query, null));
        json(exchange, 200, resource(bucket, name, stored));
        return;
      }
      if (method.equals("POST") && type.equals("resumable") && !query.containsKey("upload_id")) {
        startSession(exchange, bucket, query, body);
        return;
      }
      if (method.equals("PUT") && type.equals("resumable") && query.containsKey("upload_id")) {
        continueSession(exchange, query.get("upload_id"), body);
        return;
      }
    }
    unserved(exchange, method, path, query);
  }

  private void unserved(
      HttpExchange exchange, String method, List<String> path, Map<String, String> query)
      throws IOException {
    String request = method + " /" + String.join("/", path) + " " + query.keySet();
    synchronized (unserved) {
      unserved.add(request);
    }
    error(exchange, 501, "notImplemented", "not modelled by the test server: " + request);
  }

  private NavigableMap<String, StoredObject> bucket(String name) throws Failure {
    synchronized (buckets) {
      NavigableMap<String, StoredObject> bucket = buckets.get(name);
      if (bucket == null) {
        throw new Failure(404, "notFound", "The specified bucket does not exist.");
      }
      return bucket;
    }
  }

  private void createBucket(HttpExchange exchange, byte[] body) throws IOException, Failure {
    String name = JSON.readTree(body).path("name").asText("");
    if (name.isEmpty()) {
      throw new Failure(400, "required", "Required parameter: name");
    }
    synchronized (buckets) {
      if (buckets.containsKey(name)) {
        throw new Failure(409, "conflict", "You already own this bucket.");
      }
      buckets.put(name, new TreeMap<>());
    }
    json(
        exchange,
        200,
        JSON.createObjectNode().put("kind", "storage#bucket").put("name", name).put("id", name));
  }

  private void list(HttpExchange exchange, String bucketName, Map<String, String> query)
      throws IOException, Failure {
    NavigableMap<String, StoredObject> bucket = bucket(bucketName);
    String prefix = query.getOrDefault("prefix", "");
    int max = Integer.parseInt(query.getOrDefault("maxResults", "1000"));
    if (max < 1) {
      throw new Failure(400, "invalid", "Invalid maxResults");
    }
    String after =
        query.containsKey("pageToken")
            ? new String(
                Base64.getUrlDecoder().decode(query.get("pageToken")), StandardCharsets.UTF_8)
            : null;
    String delimiter = query.get("delimiter");
    ObjectNode response = JSON.createObjectNode().put("kind", "storage#objects");
    ArrayNode items = JSON.createArrayNode();
    java.util.TreeSet<String> prefixes = new java.util.TreeSet<>();
    String last = null;
    boolean more = false;
    synchronized (bucket) {
      // Objects and prefixes, in name order, count together towards maxResults (a prefix is its
      // first name).
      for (Map.Entry<String, StoredObject> entry :
          (after == null ? bucket.tailMap(prefix, true) : bucket.tailMap(after, false))
              .entrySet()) {
        String name = entry.getKey();
        if (!name.startsWith(prefix)) {
          break;
        }
        int at =
            delimiter == null || delimiter.isEmpty()
                ? -1
                : name.indexOf(delimiter, prefix.length());
        String group = at < 0 ? null : name.substring(0, at + delimiter.length());
        if (group != null && prefixes.contains(group)) {
          last = name;
          continue;
        }
        if (items.size() + prefixes.size() == max) {
          more = true;
          break;
        }
        if (group != null) {
          prefixes.add(group);
        } else {
          items.add(resource(bucketName, name, entry.getValue()));
        }
        last = name;
      }
    }
    if (!items.isEmpty()) {
      response.set("items", items);
    }
    if (!prefixes.isEmpty()) {
      ArrayNode array = response.putArray("prefixes");
      prefixes.forEach(array::add);
    }
    if (more) {
      response.put(
          "nextPageToken",
          Base64.getUrlEncoder().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
    }
    json(exchange, 200, response);
  }

  private StoredObject object(String bucketName, String name, Map<String, String> query)
      throws Failure {
    NavigableMap<String, StoredObject> bucket = bucket(bucketName);
    StoredObject stored;
    synchronized (bucket) {
      stored = bucket.get(name);
    }
    if (stored == null
        || (query.containsKey("generation")
            && Long.parseLong(query.get("generation")) != stored.generation())) {
      throw new Failure(404, "notFound", "No such object: " + bucketName + "/" + name);
    }
    Long match = precondition(query, "ifGenerationMatch");
    if (match != null && match != stored.generation()) {
      throw new Failure(
          412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
    }
    return stored;
  }

  private void get(HttpExchange exchange, String bucketName, String name, Map<String, String> query)
      throws IOException, Failure {
    StoredObject stored = object(bucketName, name, query);
    if (!"media".equals(query.get("alt"))) {
      json(exchange, 200, resource(bucketName, name, stored));
      return;
    }
    byte[] data = stored.data();
    long start = 0;
    long end = data.length - 1;
    String range = exchange.getRequestHeaders().getFirst("Range");
    int status = 200;
    if (range != null && range.startsWith("bytes=")) {
      String[] bounds = range.substring(6).split("-", -1);
      start = Long.parseLong(bounds[0]);
      end =
          bounds[1].isEmpty()
              ? data.length - 1
              : Math.min(Long.parseLong(bounds[1]), data.length - 1);
      if (start >= data.length && data.length > 0) {
        throw new Failure(
            416, "requestedRangeNotSatisfiable", "The requested range cannot be satisfied.");
      }
      status = 206;
      exchange
          .getResponseHeaders()
          .add("Content-Range", "bytes " + start + "-" + end + "/" + data.length);
    }
    int length = (int) Math.max(0, end - start + 1);
    exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
    exchange.getResponseHeaders().add("x-goog-generation", Long.toString(stored.generation()));
    exchange
        .getResponseHeaders()
        .add("x-goog-hash", "crc32c=" + stored.crc32c() + ",md5=" + stored.md5());
    exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(data, (int) start, length);
    }
    transferred(name, false, length);
  }

  private void delete(
      HttpExchange exchange, String bucketName, String name, Map<String, String> query)
      throws IOException, Failure {
    NavigableMap<String, StoredObject> bucket = bucket(bucketName);
    synchronized (bucket) { // the precondition and the removal as one step, as the service does
      object(bucketName, name, query);
      checkNotRetained(bucketName, name);
      bucket.remove(name);
      retentions.remove(bucketName + "/" + name);
    }
    exchange.sendResponseHeaders(204, -1);
  }

  /**
   * A metadata update; only {@code retention} is modelled: a {@code Locked} retention can only be
   * extended, an {@code Unlocked} one shortened or removed only with {@code
   * overrideUnlockedRetention=true}, as GCS documents.
   */
  private void patch(
      HttpExchange exchange, String bucketName, String name, Map<String, String> query, byte[] body)
      throws IOException, Failure {
    NavigableMap<String, StoredObject> bucket = bucket(bucketName);
    JsonNode patch = JSON.readTree(body);
    StoredObject stored;
    synchronized (bucket) {
      stored = object(bucketName, name, query);
      JsonNode asked = patch.path("retention");
      if (asked.isObject()) {
        Retention wanted =
            new Retention(
                asked.path("mode").asText("Unlocked"),
                Instant.parse(asked.path("retainUntilTime").asText()));
        Retention held = retentions.get(bucketName + "/" + name);
        boolean shorter = held != null && wanted.retainUntil().isBefore(held.retainUntil());
        if (held != null
            && held.mode().equals("Locked")
            && (shorter || !wanted.mode().equals("Locked"))) {
          throw new Failure(
              403, "forbidden", "A Locked object retention cannot be shortened or unlocked.");
        }
        if (shorter && !"true".equals(query.get("overrideUnlockedRetention"))) {
          throw new Failure(
              403,
              "forbidden",
              "Shortening an object retention requires overrideUnlockedRetention.");
        }
        retentions.put(bucketName + "/" + name, wanted);
      }
    }
    json(exchange, 200, resource(bucketName, name, stored));
  }

  private void checkNotRetained(String bucketName, String name) throws Failure {
    Retention held = retentions.get(bucketName + "/" + name);
    if (held != null && held.retainUntil().isAfter(Instant.now())) {
      throw new Failure(
          403,
          "forbidden",
          "Object '"
              + name
              + "' is subject to object retention and cannot be deleted or overwritten until "
              + held.retainUntil());
    }
  }

  /** multipart/related: a JSON metadata part, then the media part. */
  private void multipart(
      HttpExchange exchange, String bucketName, Map<String, String> query, byte[] body)
      throws IOException, Failure {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    int at = type == null ? -1 : type.indexOf("boundary=");
    if (at < 0) {
      throw new Failure(400, "invalid", "multipart upload without a boundary");
    }
    String boundary =
        type.substring(at + "boundary=".length()).replace("\"", "").split(";")[0].trim();
    List<byte[]> parts = parts(body, boundary);
    if (parts.size() != 2) {
      throw new Failure(
          400,
          "invalid",
          "a multipart upload has a metadata part and a media part, not " + parts.size());
    }
    JsonNode metadata = JSON.readTree(parts.get(0));
    String name = metadata.path("name").asText(query.getOrDefault("name", ""));
    transferred(name, true, parts.get(1).length);
    if (name.isEmpty()) {
      throw new Failure(400, "required", "Required: object name");
    }
    StoredObject stored =
        store(
            bucketName,
            name,
            parts.get(1),
            text(metadata, "crc32c"),
            text(metadata, "md5Hash"),
            precondition(query, "ifGenerationMatch"),
            precondition(query, "ifGenerationNotMatch"),
            kmsKeyName(query, metadata));
    json(exchange, 200, resource(bucketName, name, stored));
  }

  private void startSession(
      HttpExchange exchange, String bucketName, Map<String, String> query, byte[] body)
      throws IOException, Failure {
    bucket(bucketName);
    JsonNode metadata = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    String name = metadata.path("name").asText(query.getOrDefault("name", ""));
    if (name.isEmpty()) {
      throw new Failure(400, "required", "Required: object name");
    }
    String id = UUID.randomUUID().toString();
    sessions.put(
        id,
        new Session(
            bucketName,
            name,
            metadata,
            precondition(query, "ifGenerationMatch"),
            kmsKeyName(query, metadata)));
    exchange
        .getResponseHeaders()
        .add(
            "Location",
            endpoint()
                + "/upload/storage/v1/b/"
                + bucketName
                + "/o?uploadType=resumable&upload_id="
                + id);
    exchange.sendResponseHeaders(200, -1);
  }

  /**
   * A chunk ({@code Content-Range: bytes a-b/*} or {@code a-b/total}), the last chunk, or a status
   * query ({@code bytes *}{@code /total}).
   */
  private void continueSession(HttpExchange exchange, String id, byte[] body)
      throws IOException, Failure {
    Session session = sessions.get(id);
    if (session == null) {
      throw new Failure(404, "notFound", "No such upload session");
    }
    String range = exchange.getRequestHeaders().getFirst("Content-Range");
    if (range == null || !range.startsWith("bytes ")) {
      throw new Failure(400, "invalid", "a resumable upload chunk needs Content-Range");
    }
    String[] spec = range.substring(6).split("/");
    Long total = spec[1].equals("*") ? null : Long.parseLong(spec[1]);
    synchronized (session) {
      if (!spec[0].equals("*")) {
        String[] bounds = spec[0].split("-");
        long first = Long.parseLong(bounds[0]);
        long lastByte = Long.parseLong(bounds[1]);
        if (first != session.data.size()) {
          throw new Failure(
              400,
              "invalid",
              "chunk starts at " + first + ", the session holds " + session.data.size() + " bytes");
        }
        if (lastByte - first + 1 != body.length) {
          throw new Failure(
              400,
              "invalid",
              "Content-Range says "
                  + (lastByte - first + 1)
                  + " bytes, the body has "
                  + body.length);
        }
        session.data.write(body);
        transferred(session.name, true, body.length);
      }
      if (total == null || session.data.size() < total) {
        if (session.data.size() > 0) {
          exchange.getResponseHeaders().add("Range", "bytes=0-" + (session.data.size() - 1));
        }
        exchange.sendResponseHeaders(308, -1);
        return;
      }
      if (session.data.size() != total) {
        throw new Failure(
            400,
            "invalid",
            "the session holds " + session.data.size() + " bytes, the upload says " + total);
      }
      sessions.remove(id);
      StoredObject stored =
          store(
              session.bucket,
              session.name,
              session.data.toByteArray(),
              text(session.metadata, "crc32c"),
              text(session.metadata, "md5Hash"),
              session.ifGenerationMatch,
              null,
              session.kmsKeyName);
      json(exchange, 200, resource(session.bucket, session.name, stored));
    }
  }

  private void rewrite(
      HttpExchange exchange,
      String fromBucket,
      String fromName,
      String toBucket,
      String toName,
      Map<String, String> query,
      byte[] body)
      throws IOException, Failure {
    StoredObject source = object(fromBucket, fromName, Map.of());
    long perCall =
        Long.parseLong(
            query.getOrDefault("maxBytesRewrittenPerCall", Long.toString(Long.MAX_VALUE)));
    if (perCall != Long.MAX_VALUE && perCall % (1 << 20) != 0) {
      throw new Failure(400, "invalid", "maxBytesRewrittenPerCall must be a multiple of 1 MiB");
    }
    long done =
        query.containsKey("rewriteToken")
            ? Long.parseLong(
                new String(
                    Base64.getUrlDecoder().decode(query.get("rewriteToken")),
                    StandardCharsets.UTF_8))
            : 0;
    long now = Math.min(source.data().length, done + perCall);
    ObjectNode response =
        JSON.createObjectNode()
            .put("kind", "storage#rewriteResponse")
            .put("totalBytesRewritten", Long.toString(now))
            .put("objectSize", Long.toString(source.data().length));
    if (now < source.data().length) {
      response
          .put("done", false)
          .put(
              "rewriteToken",
              Base64.getUrlEncoder()
                  .encodeToString(Long.toString(now).getBytes(StandardCharsets.UTF_8)));
    } else {
      StoredObject copied =
          store(
              toBucket,
              toName,
              source.data(),
              null,
              null,
              precondition(query, "ifGenerationMatch"),
              precondition(query, "ifGenerationNotMatch"),
              query.get("destinationKmsKeyName"));
      response.put("done", true).set("resource", resource(toBucket, toName, copied));
    }
    json(exchange, 200, response);
  }

  /** Stores a new generation after checking the declared hashes and the preconditions. */
  private StoredObject store(
      String bucketName,
      String name,
      byte[] data,
      @Nullable String crc32c,
      @Nullable String md5,
      @Nullable Long ifGenerationMatch,
      @Nullable Long ifGenerationNotMatch,
      @Nullable String kmsKeyName)
      throws Failure {
    NavigableMap<String, StoredObject> bucket = bucket(bucketName);
    String actualCrc = crc32c(data);
    String actualMd5 = md5(data);
    if (crc32c != null && !crc32c.equals(actualCrc)) {
      throw new Failure(
          400,
          "invalid",
          "Provided CRC32C \""
              + crc32c
              + "\" doesn't match calculated CRC32C \""
              + actualCrc
              + "\".");
    }
    if (md5 != null && !md5.equals(actualMd5)) {
      throw new Failure(
          400,
          "invalid",
          "Provided MD5 hash \""
              + md5
              + "\" doesn't match calculated MD5 hash \""
              + actualMd5
              + "\".");
    }
    synchronized (bucket) {
      StoredObject existing = bucket.get(name);
      long generation = existing == null ? 0 : existing.generation();
      if ((ifGenerationMatch != null && ifGenerationMatch != generation)
          || (ifGenerationNotMatch != null && ifGenerationNotMatch == generation)) {
        throw new Failure(
            412,
            "conditionNotMet",
            "At least one of the pre-conditions you specified did not hold.");
      }
      if (existing != null) {
        checkNotRetained(bucketName, name);
        retentions.remove(bucketName + "/" + name);
      }
      StoredObject stored =
          new StoredObject(
              data,
              generations.incrementAndGet(),
              1,
              Instant.now(),
              actualCrc,
              actualMd5,
              kmsKeyName);
      bucket.put(name, stored);
      return stored;
    }
  }

  /** The Cloud KMS key a write names (CMEK): a query parameter, or the object's metadata. */
  @Nullable
  private static String kmsKeyName(Map<String, String> query, @Nullable JsonNode metadata) {
    String named = query.get("kmsKeyName");
    return named != null || metadata == null ? named : text(metadata, "kmsKeyName");
  }

  private ObjectNode resource(String bucket, String name, StoredObject stored) {
    ObjectNode resource = resourceWithoutKey(bucket, name, stored);
    Retention retention = retentions.get(bucket + "/" + name);
    if (retention != null) {
      resource
          .putObject("retention")
          .put("mode", retention.mode())
          .put("retainUntilTime", retention.retainUntil().toString());
    }
    if (stored.kmsKeyName() != null) {
      resource.put("kmsKeyName", stored.kmsKeyName() + "/cryptoKeyVersions/1");
    }
    return resource;
  }

  private ObjectNode resourceWithoutKey(String bucket, String name, StoredObject stored) {
    return JSON.createObjectNode()
        .put("kind", "storage#object")
        .put("id", bucket + "/" + name + "/" + stored.generation())
        .put("name", name)
        .put("bucket", bucket)
        .put("generation", Long.toString(stored.generation()))
        .put("metageneration", Long.toString(stored.metageneration()))
        .put("contentType", "application/octet-stream")
        .put("storageClass", "STANDARD")
        .put("size", Integer.toString(stored.data().length))
        .put("md5Hash", stored.md5())
        .put("crc32c", stored.crc32c())
        .put("etag", "C" + Long.toHexString(stored.generation()))
        .put("timeCreated", stored.updated().toString())
        .put("updated", stored.updated().toString());
  }

  private static String crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return Checksum.crc32c(crc.getValue()).base64();
  }

  private static String md5(byte[] data) {
    try {
      return Checksum.of(ChecksumAlgorithm.MD5, MessageDigest.getInstance("MD5").digest(data))
          .base64();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Nullable
  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  @Nullable
  private static Long precondition(Map<String, String> query, String name) throws Failure {
    String value = query.get(name);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new Failure(400, "invalid", "Invalid " + name + ": " + value);
    }
  }

  private static String require(Map<String, String> query, String name) throws Failure {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      throw new Failure(400, "required", "Required parameter: " + name);
    }
    return value;
  }

  /** The parts of a multipart body, without their headers. */
  private static List<byte[]> parts(byte[] body, String boundary) throws Failure {
    String text =
        new String(body, StandardCharsets.ISO_8859_1); // one char a byte: offsets are byte offsets
    String delimiter = "--" + boundary;
    List<byte[]> parts = new ArrayList<>();
    int at = text.indexOf(delimiter);
    while (at >= 0) {
      int start = at + delimiter.length();
      if (text.startsWith("--", start)) {
        break;
      }
      int headersEnd = text.indexOf("\r\n\r\n", start);
      int next = text.indexOf("\r\n" + delimiter, headersEnd < 0 ? start : headersEnd);
      if (headersEnd < 0 || next < 0) {
        throw new Failure(400, "invalid", "malformed multipart body");
      }
      parts.add(text.substring(headersEnd + 4, next).getBytes(StandardCharsets.ISO_8859_1));
      at = next + 2;
    }
    return parts;
  }

  private static Map<String, String> query(@Nullable String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.put(key, value);
    }
    return query;
  }

  /**
   * Path segments, each percent-decoded on its own (an object name's {@code /} travels as {@code
   * %2F}).
   */
  private static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String segment : rawPath.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return segments;
  }

  private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void error(HttpExchange exchange, int status, String reason, String message)
      throws IOException {
    ObjectNode error = JSON.createObjectNode();
    ObjectNode inner = error.putObject("error").put("code", status).put("message", message);
    inner
        .putArray("errors")
        .addObject()
        .put("domain", "global")
        .put("reason", reason)
        .put("message", message);
    json(exchange, status, error);
  }
}
