package io.influxbak.encryption;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.io.BaseEncoding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.annotation.concurrent.Immutable;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit key the operator holds (a key file, or an environment variable), written as base64 as
 * {@code openssl rand -base64 32} prints it. Wraps a data key with AES-256-GCM under a random
 * nonce, the backup's id as authenticated data. Its {@link #id()} is a fingerprint (an HMAC of a
 * fixed label), which tells keys apart without revealing them.
 */
@Immutable
public final class LocalKey implements KeyEncryptionKey {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int NONCE = 12;

  private final byte[] material;
  private final String id;

  private LocalKey(byte[] material) {
    checkArgument(
        material.length == 32, "a key must be 32 bytes (256 bits), not %s", material.length);
    this.material = material.clone();
    this.id = "local:" + fingerprint(material);
  }

  /** A new random key; {@link #encoded()} gives what to store. */
  public static LocalKey generate() {
    byte[] material = new byte[32];
    RANDOM.nextBytes(material);
    return new LocalKey(material);
  }

  /**
   * The key written in base64 (or hex) in {@code text}, surrounding white space ignored.
   *
   * @param source what to name if the text is not a key (a file, a variable), never the text
   * @throws IllegalArgumentException if {@code text} is not 32 bytes in base64 or hex
   */
  public static LocalKey parse(String text, String source) {
    requireNonNull(text, "text is null");
    requireNonNull(source, "source is null");
    String trimmed = text.strip();
    byte[] material = null;
    if (trimmed.length() == 64
        && BaseEncoding.base16().lowerCase().canDecode(trimmed.toLowerCase())) {
      material = BaseEncoding.base16().lowerCase().decode(trimmed.toLowerCase());
    } else if (BaseEncoding.base64().canDecode(trimmed)) {
      material = BaseEncoding.base64().decode(trimmed);
    }
    if (material == null || material.length != 32) {
      throw new IllegalArgumentException(
          source
              + " does not hold a 256-bit key (32 bytes in base64, as `openssl rand -base64 32`"
              + " prints, or 64 hex digits)");
    }
    return new LocalKey(material);
  }

  /** The key in the file {@code file} (base64 or hex). */
  public static LocalKey fromFile(Path file) throws IOException {
    requireNonNull(file, "file is null");
    try {
      return parse(Files.readString(file, StandardCharsets.US_ASCII), "key file " + file);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "no such key file");
    } catch (java.nio.charset.MalformedInputException e) {
      throw new IllegalArgumentException("key file " + file + " is not base64 or hex text");
    }
  }

  /** The key in the environment variable {@code name} (base64 or hex). */
  public static LocalKey fromEnvironment(String name) {
    String value = System.getenv(requireNonNull(name, "name is null"));
    if (value == null) {
      throw new IllegalArgumentException("environment variable " + name + " is not set");
    }
    return parse(value, "environment variable " + name);
  }

  /** The key in base64, for a key file. This is the secret: store it as one. */
  public String encoded() {
    return BaseEncoding.base64().encode(material);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public byte[] wrap(byte[] dataKey, String context) throws IOException {
    byte[] nonce = new byte[NONCE];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(material, "AES"),
          new GCMParameterSpec(128, nonce));
      cipher.updateAAD(aad(context));
      byte[] sealed = cipher.doFinal(dataKey);
      return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IOException("AES-GCM failed", e);
    }
  }

  @Override
  public byte[] unwrap(byte[] wrapped, String context) throws IOException {
    if (wrapped.length <= NONCE + 16) {
      throw new EncryptionKeyException(context, "its wrapped key is too short");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(material, "AES"),
          new GCMParameterSpec(128, Arrays.copyOf(wrapped, NONCE)));
      cipher.updateAAD(aad(context));
      return cipher.doFinal(wrapped, NONCE, wrapped.length - NONCE);
    } catch (AEADBadTagException e) {
      throw new EncryptionKeyException(
          context, "its wrapped key does not authenticate under " + id);
    } catch (GeneralSecurityException e) {
      throw new IOException("AES-GCM failed", e);
    }
  }

  private static byte[] aad(String context) {
    return ("influxbak data key of backup " + context).getBytes(StandardCharsets.UTF_8);
  }

  private static String fingerprint(byte[] material) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(material, "HmacSHA256"));
      byte[] tag = mac.doFinal("influxbak key id".getBytes(StandardCharsets.UTF_8));
      return BaseEncoding.base16().lowerCase().encode(tag, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this JDK", e);
    }
  }

  /** Shows the fingerprint, never the key. */
  @Override
  public String toString() {
    return id;
  }
}
