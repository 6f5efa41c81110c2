package io.influxbak.encryption.gcp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A loopback server speaking Cloud KMS's JSON API for symmetric keys as far as wrapping data keys
 * needs: {@code POST /v1/{name}:encrypt} and {@code :decrypt} with base64 {@code plaintext}, {@code
 * ciphertext} and {@code additionalAuthenticatedData}; the ciphertext is AES-GCM under the key with
 * the AAD authenticated, so, as in Cloud KMS, it decrypts only with the same AAD. Errors are
 * Google's JSON error bodies. Records each call's method, key and whether it carried AAD.
 */
final class FakeCloudKmsServer implements AutoCloseable {
  /** One call as the server saw it. */
  record Call(String method, String key, boolean withAad) {}

  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern PATH = Pattern.compile("/v1/(.+):(encrypt|decrypt)");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpServer server;
  private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
  final List<Call> calls = new CopyOnWriteArrayList<>();

  FakeCloudKmsServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Creates a key and returns its name. */
  String createKey(String id) {
    byte[] material = new byte[32];
    RANDOM.nextBytes(material);
    String name = "projects/p/locations/global/keyRings/backups/cryptoKeys/" + id;
    keys.put(name, material);
    return name;
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    boolean gzip =
        "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
    java.io.InputStream request = exchange.getRequestBody();
    String body =
        new String(
            (gzip ? new java.util.zip.GZIPInputStream(request) : request).readAllBytes(),
            StandardCharsets.UTF_8);
    Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
    Map<String, String> fields = new ConcurrentHashMap<>();
    Matcher m = FIELD.matcher(body);
    while (m.find()) {
      fields.putIfAbsent(m.group(1), m.group(2));
    }
    if (!path.matches() || !exchange.getRequestMethod().equals("POST")) {
      reply(exchange, 404, error(404, "no such method", "NOT_FOUND"));
      return;
    }
    String name = path.group(1);
    calls.add(new Call(path.group(2), name, fields.containsKey("additionalAuthenticatedData")));
    byte[] key = keys.get(name);
    if (key == null) {
      reply(exchange, 404, error(404, "CryptoKey " + name + " not found.", "NOT_FOUND"));
      return;
    }
    byte[] aad = decode(fields.getOrDefault("additionalAuthenticatedData", ""));
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      if (path.group(2).equals("encrypt")) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        cipher.init(
            Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
        byte[] sealed = cipher.doFinal(decode(fields.get("plaintext")));
        byte[] out = ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
        reply(
            exchange,
            200,
            "{\"name\":\""
                + name
                + "/cryptoKeyVersions/1\",\"ciphertext\":\""
                + Base64.getEncoder().encodeToString(out)
                + "\"}");
      } else {
        byte[] in = decode(fields.get("ciphertext"));
        cipher.init(
            Cipher.DECRYPT_MODE,
            new SecretKeySpec(key, "AES"),
            new GCMParameterSpec(128, in, 0, 12));
        cipher.updateAAD(aad);
        byte[] plain;
        try {
          plain = cipher.doFinal(in, 12, in.length - 12);
        } catch (AEADBadTagException e) {
          reply(
              exchange,
              400,
              error(400, "Decryption failed: the ciphertext is invalid.", "INVALID_ARGUMENT"));
          return;
        }
        reply(
            exchange, 200, "{\"plaintext\":\"" + Base64.getEncoder().encodeToString(plain) + "\"}");
      }
    } catch (GeneralSecurityException e) {
      reply(exchange, 500, error(500, e.toString(), "INTERNAL"));
    }
  }

  private static byte[] decode(String base64) {
    // Google's JSON bytes fields take base64 or base64url (the Java client writes the latter).
    return base64 == null
        ? new byte[0]
        : Base64.getDecoder().decode(base64.replace('-', '+').replace('_', '/'));
  }

  private static String error(int code, String message, String status) {
    return "{\"error\":{\"code\":"
        + code
        + ",\"message\":\""
        + message
        + "\",\"status\":\""
        + status
        + "\"}}";
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
