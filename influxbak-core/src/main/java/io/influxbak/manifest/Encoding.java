package io.influxbak.manifest;

import io.influxbak.encryption.DataKey;
import io.influxbak.encryption.EncryptionKeyException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import javax.annotation.Nullable;

/** How a backup keeps an object's bytes: as they are, compressed, encrypted, or both. */
public enum Encoding {
  /** The object's own bytes, under its own key. */
  IDENTITY("", false, false),
  /**
   * Gzip (RFC 1952) of the object's bytes, under its key plus {@code .gz}, so that a plain copy of
   * a backup cannot be mistaken for the data.
   */
  GZIP(".gz", true, false),
  /**
   * The object's bytes encrypted with the holding backup's data key (the segment format of {@code
   * docs/encryption.md}), under its key plus {@code .enc}.
   */
  ENCRYPTED(".enc", false, true),
  /** Gzip of the object's bytes, then encrypted, under its key plus {@code .gz.enc}. */
  GZIP_ENCRYPTED(".gz.enc", true, true);

  /** Every encoding, for lookups that run once for each of a manifest's entries. */
  private static final Encoding[] ALL = values();

  private final String suffix;
  private final boolean compressed;
  private final boolean encrypted;
  private final String written;

  Encoding(String suffix, boolean compressed, boolean encrypted) {
    this.suffix = suffix;
    this.compressed = compressed;
    this.encrypted = encrypted;
    this.written = name().toLowerCase(Locale.ROOT);
  }

  /** The name a manifest gives this encoding: the constant's name in lower case. */
  String written() {
    return written;
  }

  /** The encoding a manifest names {@code text} exactly as {@link #written} gives it; else null. */
  @Nullable
  static Encoding ofWritten(String text) {
    for (Encoding encoding : ALL) {
      if (encoding.written.equals(text)) {
        return encoding;
      }
    }
    return null;
  }

  /** The encoding that compresses, encrypts, both or neither. */
  public static Encoding of(boolean compressed, boolean encrypted) {
    for (Encoding encoding : values()) {
      if (encoding.compressed == compressed && encoding.encrypted == encrypted) {
        return encoding;
      }
    }
    throw new AssertionError("every combination has an encoding");
  }

  /** What the stored key adds to the object's key. */
  public String suffix() {
    return suffix;
  }

  /** Whether the stored bytes are gzip. */
  public boolean compressed() {
    return compressed;
  }

  /** Whether the stored bytes are encrypted. */
  public boolean encrypted() {
    return encrypted;
  }

  /**
   * The object's own bytes from {@code stored}, the bytes kept under {@code storedKey}: decrypted
   * with {@code key} (the holding backup's data key) and decompressed as this encoding says.
   *
   * @throws EncryptionKeyException if the bytes are encrypted and no key is given
   */
  public InputStream decode(InputStream stored, String storedKey, Optional<DataKey> key)
      throws IOException {
    InputStream plain = stored;
    if (encrypted) {
      if (key.isEmpty()) {
        stored.close();
        throw new EncryptionKeyException(
            storedKey.substring(0, Math.max(0, storedKey.indexOf('/'))),
            storedKey + " is encrypted and no key was given");
      }
      plain = key.get().decrypt(stored, storedKey, storedKey);
    }
    return compressed ? new GZIPInputStream(plain, 64 << 10) : plain;
  }
}
