package io.influxbak.encryption.azure;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.MGF1ParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * A loopback server speaking Key Vault's REST API for one RSA key as far as wrapping needs: {@code
 * POST /keys/NAME/VERSION/wrapkey} and {@code /unwrapkey} with {@code {"alg":"RSA-OAEP-256",
 * "value":base64url}}, answered with {@code {"kid":...,"value":...}}; a {@code GET} of the key is
 * refused (403), so the SDK does both operations on the service rather than locally. Records each
 * call's path.
 */
final class FakeKeyVaultServer implements AutoCloseable {
  private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern ALG = Pattern.compile("\"alg\"\\s*:\\s*\"([^\"]*)\"");

  private final HttpServer server;
  private final KeyPair rsa;
  final List<String> calls = new CopyOnWriteArrayList<>();

  FakeKeyVaultServer() throws IOException, GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    rsa = generator.generateKeyPair();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The key's URL. */
  String keyId() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/keys/influxbak/0123456789abcdef";
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    calls.add(exchange.getRequestMethod() + " " + path);
    if (!exchange.getRequestMethod().equals("POST")) {
      reply(
          exchange,
          403,
          "{\"error\":{\"code\":\"Forbidden\",\"message\":\"get is not permitted\"}}");
      return;
    }
    Matcher value = VALUE.matcher(body);
    Matcher alg = ALG.matcher(body);
    if (!value.find() || !alg.find() || !alg.group(1).equals("RSA-OAEP-256")) {
      reply(exchange, 400, "{\"error\":{\"code\":\"BadParameter\",\"message\":\"alg or value\"}}");
      return;
    }
    byte[] input = Base64.getUrlDecoder().decode(value.group(1));
    try {
      Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
      OAEPParameterSpec oaep =
          new OAEPParameterSpec(
              "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
      byte[] output;
      if (path.endsWith("/wrapkey")) {
        cipher.init(Cipher.ENCRYPT_MODE, rsa.getPublic(), oaep);
        output = cipher.doFinal(input);
      } else if (path.endsWith("/unwrapkey")) {
        cipher.init(Cipher.DECRYPT_MODE, rsa.getPrivate(), oaep);
        try {
          output = cipher.doFinal(input);
        } catch (BadPaddingException e) {
          reply(
              exchange,
              400,
              "{\"error\":{\"code\":\"BadParameter\",\"message\":\"The parameter is incorrect.\"}}");
          return;
        }
      } else {
        reply(
            exchange, 404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"no such operation\"}}");
        return;
      }
      reply(
          exchange,
          200,
          "{\"kid\":\""
              + keyId()
              + "\",\"value\":\""
              + Base64.getUrlEncoder().withoutPadding().encodeToString(output)
              + "\"}");
    } catch (GeneralSecurityException e) {
      reply(exchange, 500, "{\"error\":{\"code\":\"InternalError\",\"message\":\"" + e + "\"}}");
    }
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
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
