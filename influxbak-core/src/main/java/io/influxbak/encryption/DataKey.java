package io.influxbak.encryption;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.common.io.BaseEncoding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.annotation.concurrent.Immutable;

/**
 * The random 256-bit key that encrypts one backup: its objects, manifest and journal, each object
 * under a key derived from this one and the object's stored key. Stored only wrapped by a {@link
 * KeyEncryptionKey}, in the backup's {@code key.json} ({@link #record}); {@link #toString()} shows
 * no material.
 */
@Immutable
public final class DataKey {
  /** What {@code key.json} records as the cipher, so that another scheme can be told apart. */
  public static final String CIPHER = "AES256_GCM_HKDF_SHA256_64KIB";

  /** How many leading bytes {@link #isEncrypted} needs. */
  public static final int HEAD_LENGTH = SegmentedAead.MAGIC.length;

  private static final JsonFactory JSON = new JsonFactory();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] material;

  private DataKey(byte[] material) {
    this.material = material;
  }

  /** A new random key. */
  public static DataKey generate() {
    byte[] material = new byte[32];
    RANDOM.nextBytes(material);
    return new DataKey(material);
  }

  /** The size of the encrypted form of {@code plaintext} bytes. */
  public static long ciphertextSize(long plaintext) {
    return SegmentedAead.ciphertextSize(plaintext);
  }

  /** Whether {@code head}, the first {@link #HEAD_LENGTH} bytes of an object, are our header. */
  public static boolean isEncrypted(byte[] head) {
    return SegmentedAead.looksEncrypted(requireNonNull(head, "head is null"));
  }

  /**
   * A stream that encrypts what is written to it into {@code out}, bound to {@code aad} (the
   * object's stored key); closing it seals the last segment and closes {@code out}.
   */
  public OutputStream encrypt(OutputStream out, String aad) throws IOException {
    return new SegmentedAead.Encrypting(
        requireNonNull(out, "out is null"), material, requireNonNull(aad, "aad is null"));
  }

  /**
   * The encrypted form of {@code plain}, exactly {@code size} bytes, produced as it is read (the
   * same format as {@link #encrypt}); each call draws a new salt, so two calls never share a nonce,
   * whatever they read. Closing it closes {@code plain}.
   */
  public InputStream encrypting(InputStream plain, long size, String aad) {
    return new SegmentedAead.EncryptingInput(
        requireNonNull(plain, "plain is null"), size, material, requireNonNull(aad, "aad is null"));
  }

  /**
   * The plaintext of {@code in}, encrypted by {@link #encrypt} with the same {@code aad}.
   *
   * @param object what to name in errors (the stored key)
   */
  public InputStream decrypt(InputStream in, String aad, String object) {
    return new SegmentedAead.Decrypting(
        requireNonNull(in, "in is null"),
        material,
        requireNonNull(aad, "aad is null"),
        requireNonNull(object, "object is null"));
  }

  /**
   * The {@code key.json} of the backup {@code backupId}: this key wrapped by {@code kek} for that
   * backup, with the cipher and the wrapping key's id.
   */
  public byte[] record(KeyEncryptionKey kek, String backupId) throws IOException {
    byte[] wrapped = kek.wrap(material.clone(), requireNonNull(backupId, "backupId is null"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeStringField("format", "influxbak-data-key");
      json.writeNumberField("version", 1);
      json.writeStringField("backupId", backupId);
      json.writeStringField("cipher", CIPHER);
      json.writeStringField("keyEncryptionKey", kek.id());
      json.writeStringField("wrapped", BaseEncoding.base64().encode(wrapped));
      json.writeEndObject();
    }
    out.write('\n');
    return out.toByteArray();
  }

  /**
   * The data key a {@code key.json} of {@code backupId} holds.
   *
   * @param kek the key that wrapped it, if the caller has one
   * @throws EncryptionKeyException if no key is given, or the key given did not wrap it for this
   *     backup, or the record is not one
   */
  public static DataKey fromRecord(Optional<KeyEncryptionKey> kek, byte[] record, String backupId)
      throws IOException {
    requireNonNull(kek, "kek is null");
    requireNonNull(backupId, "backupId is null");
    Map<String, String> fields = fields(record, backupId);
    if (!"influxbak-data-key".equals(fields.get("format"))
        || !"1".equals(fields.get("version"))
        || !fields.containsKey("wrapped")
        || !fields.containsKey("keyEncryptionKey")) {
      throw new EncryptionKeyException(
          backupId, "its key.json is not an influxbak data key record of version 1");
    }
    if (!CIPHER.equals(fields.get("cipher"))) {
      throw new EncryptionKeyException(
          backupId, "it is encrypted with " + fields.get("cipher") + ", not known here");
    }
    String wrappedBy = fields.get("keyEncryptionKey");
    if (kek.isEmpty()) {
      throw new EncryptionKeyException(
          backupId,
          "it is encrypted (its data key is wrapped by " + wrappedBy + "); give that key");
    }
    byte[] wrapped;
    try {
      wrapped = BaseEncoding.base64().decode(fields.get("wrapped"));
    } catch (IllegalArgumentException e) {
      throw new EncryptionKeyException(backupId, "its key.json holds no base64 wrapped key");
    }
    byte[] material;
    try {
      material = kek.get().unwrap(wrapped, backupId);
    } catch (EncryptionKeyException e) {
      throw new EncryptionKeyException(
          backupId,
          "its data key does not unwrap with "
              + kek.get().id()
              + " (key.json names "
              + wrappedBy
              + "): the wrong key, or a wrapped key taken from another backup ("
              + e.reason()
              + ")",
          e.getCause());
    }
    if (material.length != 32) {
      throw new EncryptionKeyException(backupId, "its data key is not 256 bits");
    }
    return new DataKey(material);
  }

  private static Map<String, String> fields(byte[] record, String backupId) throws IOException {
    Map<String, String> fields = new HashMap<>();
    try (JsonParser json = JSON.createParser(record)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        throw new EncryptionKeyException(backupId, "its key.json is not a JSON object");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        if (value.isStructStart()) {
          json.skipChildren();
        } else {
          fields.put(name, json.getText());
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new EncryptionKeyException(backupId, "its key.json is not JSON");
    }
    return fields;
  }

  /** Shows no key material. */
  @Override
  public String toString() {
    return "DataKey[redacted]";
  }
}
