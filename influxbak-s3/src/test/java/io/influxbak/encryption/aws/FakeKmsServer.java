package io.influxbak.encryption.aws;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A loopback server speaking AWS KMS's protocol (JSON 1.1 over HTTP, {@code X-Amz-Target:
 * TrentService.Encrypt} and {@code .Decrypt}) for symmetric keys, as far as wrapping data keys
 * needs: the ciphertext blob names its key and is AES-GCM under that key with the encryption
 * context as authenticated data, so, as in KMS, a blob decrypts only under its own context. It
 * records each call's operation, key and context, and can answer the next calls with a 500.
 */
final class FakeKmsServer implements AutoCloseable {
  /** One call as the server saw it. */
  record Call(String operation, String keyId, String context, boolean signed) {}

  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern CONTEXT =
      Pattern.compile("\"EncryptionContext\"\\s*:\\s*\\{([^}]*)\\}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpServer server;
  private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
  final List<Call> calls = new CopyOnWriteArrayList<>();
  final AtomicInteger failNext = new AtomicInteger();

  FakeKmsServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Creates a key and returns its ARN. */
  String createKey(String id) {
    byte[] material = new byte[32];
    RANDOM.nextBytes(material);
    String arn = "arn:aws:kms:us-east-1:111122223333:key/" + id;
    keys.put(arn, material);
    return arn;
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    boolean signed =
        String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"))
            .startsWith("AWS4-HMAC-SHA256");
    Map<String, String> fields = new ConcurrentHashMap<>();
    Matcher m = FIELD.matcher(body);
    while (m.find()) {
      fields.putIfAbsent(m.group(1), m.group(2));
    }
    Matcher c = CONTEXT.matcher(body);
    String context = c.find() ? c.group(1).replaceAll("\\s", "") : "";
    String operation = target == null ? "" : target.replace("TrentService.", "");
    calls.add(new Call(operation, fields.getOrDefault("KeyId", ""), context, signed));
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      reply(exchange, 500, "{\"__type\":\"KMSInternalException\",\"message\":\"try again\"}");
      return;
    }
    try {
      switch (operation) {
        case "Encrypt" -> encrypt(exchange, fields, context);
        case "Decrypt" -> decrypt(exchange, fields, context);
        default -> reply(exchange, 400, error("UnsupportedOperationException", operation));
      }
    } catch (GeneralSecurityException e) {
      reply(exchange, 500, error("KMSInternalException", e.toString()));
    }
  }

  private void encrypt(HttpExchange exchange, Map<String, String> fields, String context)
      throws IOException, GeneralSecurityException {
    String arn = fields.get("KeyId");
    byte[] key = keys.get(arn);
    if (key == null) {
      reply(exchange, 400, error("NotFoundException", "Key '" + arn + "' does not exist"));
      return;
    }
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    byte[] sealed = cipher.doFinal(Base64.getDecoder().decode(fields.get("Plaintext")));
    byte[] name = arn.getBytes(StandardCharsets.UTF_8);
    byte[] blob =
        ByteBuffer.allocate(2 + name.length + 12 + sealed.length)
            .putShort((short) name.length)
            .put(name)
            .put(nonce)
            .put(sealed)
            .array();
    reply(
        exchange,
        200,
        "{\"CiphertextBlob\":\""
            + Base64.getEncoder().encodeToString(blob)
            + "\",\"KeyId\":\""
            + arn
            + "\",\"EncryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}");
  }

  private void decrypt(HttpExchange exchange, Map<String, String> fields, String context)
      throws IOException, GeneralSecurityException {
    ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(fields.get("CiphertextBlob")));
    byte[] name = new byte[blob.getShort()];
    blob.get(name);
    String arn = new String(name, StandardCharsets.UTF_8);
    byte[] key = keys.get(arn);
    if (key == null || (fields.containsKey("KeyId") && !fields.get("KeyId").equals(arn))) {
      reply(
          exchange,
          400,
          error(
              "IncorrectKeyException",
              "The key ID in the request does not identify the key that encrypted the ciphertext"));
      return;
    }
    byte[] nonce = new byte[12];
    blob.get(nonce);
    byte[] sealed = new byte[blob.remaining()];
    blob.get(sealed);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    byte[] plain;
    try {
      plain = cipher.doFinal(sealed);
    } catch (javax.crypto.AEADBadTagException e) {
      reply(exchange, 400, error("InvalidCiphertextException", null));
      return;
    }
    reply(
        exchange,
        200,
        "{\"Plaintext\":\""
            + Base64.getEncoder().encodeToString(plain)
            + "\",\"KeyId\":\""
            + arn
            + "\",\"EncryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}");
  }

  private static String error(String type, String message) {
    return "{\"__type\":\""
        + type
        + "\""
        + (message == null ? "" : ",\"message\":\"" + message + "\"")
        + "}";
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
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
