package io.influxbak.encryption;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The segment format: a header (4 bytes of magic, a version byte, a 16-byte salt, a 7-byte nonce
 * prefix), then the plaintext in segments of {@link #SEGMENT} bytes, each sealed with AES-256-GCM
 * under a key derived for this object alone (HKDF-SHA256 of the data key, with the salt, and the
 * object's stored key as info) and a nonce of the prefix, the segment's number (4 bytes, big
 * endian) and a byte that is 1 for the last segment only. So a segment moved within the object
 * fails (its number), the object cut at a segment boundary or extended fails (the last flag), and a
 * segment from another object or backup fails (the derived key). The same design as Tink's
 * AES-GCM-HKDF streaming AEAD, on the JDK's cipher alone.
 */
final class SegmentedAead {
  /** Plaintext bytes per segment. */
  static final int SEGMENT = 64 << 10;

  static final int TAG = 16;
  static final byte[] MAGIC = {(byte) 0x89, 'I', 'B', 'E'};
  static final byte VERSION = 1;
  private static final int SALT = 16;
  private static final int PREFIX = 7;
  static final int HEADER = MAGIC.length + 1 + SALT + PREFIX;
  private static final SecureRandom RANDOM = new SecureRandom();

  private SegmentedAead() {}

  /** The size of the ciphertext of {@code plaintext} bytes. */
  static long ciphertextSize(long plaintext) {
    checkArgument(plaintext >= 0, "negative size");
    long segments = plaintext == 0 ? 1 : (plaintext + SEGMENT - 1) / SEGMENT;
    return HEADER + plaintext + segments * TAG;
  }

  /** Whether {@code head} (the first bytes of a stored object) starts like this format. */
  static boolean looksEncrypted(byte[] head) {
    return head.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC);
  }

  /** The key for one object: HKDF-SHA256 (RFC 5869), one block of output. */
  private static SecretKeySpec objectKey(byte[] dataKey, byte[] salt, String aad) {
    try {
      Mac extract = Mac.getInstance("HmacSHA256");
      extract.init(new SecretKeySpec(salt, "HmacSHA256"));
      byte[] prk = extract.doFinal(dataKey);
      Mac expand = Mac.getInstance("HmacSHA256");
      expand.init(new SecretKeySpec(prk, "HmacSHA256"));
      expand.update("influxbak segment key\0".getBytes(StandardCharsets.UTF_8));
      expand.update(aad.getBytes(StandardCharsets.UTF_8));
      expand.update((byte) 1);
      return new SecretKeySpec(expand.doFinal(), "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this JDK", e);
    }
  }

  private static byte[] nonce(byte[] prefix, long segment, boolean last) {
    return ByteBuffer.allocate(12)
        .put(prefix)
        .putInt((int) segment)
        .put((byte) (last ? 1 : 0))
        .array();
  }

  private static Cipher cipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is missing from this JDK", e);
    }
  }

  /** The header of an object: magic, version, salt, nonce prefix. */
  private static byte[] header(byte[] salt, byte[] prefix) {
    return ByteBuffer.allocate(HEADER).put(MAGIC).put(VERSION).put(salt).put(prefix).array();
  }

  /**
   * A stream served one chunk (a header, a segment) at a time: {@link #nextChunk()} makes the next
   * one, or says there is none.
   */
  abstract static class ChunkedInput extends InputStream {
    private byte[] chunk = new byte[0];
    private int position;

    /** Makes the next chunk ({@link #serve}); false when the stream has ended. */
    abstract boolean nextChunk() throws IOException;

    /** Serves {@code next} from its first byte. */
    final void serve(byte[] next) {
      chunk = next;
      position = 0;
    }

    @Override
    public final int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (position == chunk.length) {
        if (!nextChunk()) {
          return -1;
        }
      }
      int n = Math.min(len, chunk.length - position);
      System.arraycopy(chunk, position, b, off, n);
      position += n;
      return n;
    }
  }

  /** Encrypts what is written to it into {@code out}; {@link #close()} seals the last segment. */
  static final class Encrypting extends OutputStream {
    private final OutputStream out;
    private final SecretKeySpec key;
    private final byte[] prefix = new byte[PREFIX];
    private final byte[] plain = new byte[SEGMENT];
    private final Cipher cipher = cipher();
    private int filled;
    private long segment;
    private boolean closed;

    Encrypting(OutputStream out, byte[] dataKey, String aad) throws IOException {
      this.out = out;
      byte[] salt = new byte[SALT];
      RANDOM.nextBytes(salt);
      RANDOM.nextBytes(prefix);
      this.key = objectKey(dataKey, salt, aad);
      out.write(header(salt, prefix));
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        if (filled == SEGMENT) {
          seal(false); // more follows, so the full segment is not the last
        }
        int n = Math.min(len, SEGMENT - filled);
        System.arraycopy(b, off, plain, filled, n);
        filled += n;
        off += n;
        len -= n;
      }
    }

    private void seal(boolean last) throws IOException {
      if (segment > 0xFFFF_FFFFL) {
        throw new IOException("object too large for the segment format (over 256 TiB)");
      }
      try {
        cipher.init(
            Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce(prefix, segment, last)));
        out.write(cipher.doFinal(plain, 0, filled));
      } catch (GeneralSecurityException e) {
        throw new IOException("AES-GCM failed", e);
      }
      segment++;
      filled = 0;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try (out) {
        seal(true);
      }
    }
  }

  /**
   * Decrypts {@code in}, returning a segment's plaintext only once its tag has been checked; the
   * first segment that does not authenticate fails the read with {@link DecryptionFailedException}.
   */
  static final class Decrypting extends ChunkedInput {
    private final InputStream in;
    private final byte[] dataKey;
    private final String aad;
    private final String object;
    private final byte[] sealed = new byte[SEGMENT + TAG];
    private final Cipher cipher = cipher();
    private SecretKeySpec key;
    private byte[] prefix;
    private long segment;
    private int peeked = -1;
    private boolean ended;

    Decrypting(InputStream in, byte[] dataKey, String aad, String object) {
      this.in = in;
      this.dataKey = dataKey;
      this.aad = aad;
      this.object = object;
    }

    @Override
    boolean nextChunk() throws IOException {
      if (ended) {
        return false;
      }
      nextSegment();
      return true;
    }

    private void header() throws IOException {
      byte[] header = in.readNBytes(HEADER);
      if (header.length >= MAGIC.length && !looksEncrypted(header)) {
        throw new DecryptionFailedException(
            object, "not encrypted by influxbak (no encryption header)");
      }
      if (header.length < HEADER) {
        throw new DecryptionFailedException(
            object, "truncated: " + header.length + " bytes, shorter than the encryption header");
      }
      if (header[MAGIC.length] != VERSION) {
        throw new DecryptionFailedException(
            object, "encryption format version " + header[MAGIC.length] + " is not known here");
      }
      byte[] salt = Arrays.copyOfRange(header, MAGIC.length + 1, MAGIC.length + 1 + SALT);
      prefix = Arrays.copyOfRange(header, MAGIC.length + 1 + SALT, HEADER);
      key = objectKey(dataKey, salt, aad);
    }

    private void nextSegment() throws IOException {
      if (key == null) {
        header();
      }
      int n = 0;
      if (peeked >= 0) {
        sealed[n++] = (byte) peeked;
        peeked = -1;
      }
      n += in.readNBytes(sealed, n, sealed.length - n);
      boolean last = n < sealed.length;
      if (!last) {
        peeked = in.read();
        last = peeked < 0;
      }
      if (n < TAG) {
        throw new DecryptionFailedException(
            object, "truncated: segment " + segment + " has " + n + " bytes, less than its tag");
      }
      try {
        cipher.init(
            Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce(prefix, segment, last)));
        serve(cipher.doFinal(sealed, 0, n));
      } catch (AEADBadTagException e) {
        throw new DecryptionFailedException(
            object,
            "segment "
                + segment
                + " does not authenticate: the wrong key, or ciphertext that was changed,"
                + " truncated, reordered or taken from another object");
      } catch (GeneralSecurityException e) {
        throw new IOException("AES-GCM failed", e);
      }
      segment++;
      ended = last;
      if (segment > 0xFFFF_FFFFL && !ended) {
        throw new DecryptionFailedException(object, "more segments than the format allows");
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /**
   * Encrypts {@code plain}, exactly {@code size} bytes, as it is read: the same format as {@link
   * Encrypting}, pulled rather than pushed, so that an upload can stream it without staging. The
   * last segment is known from the size; one more read of {@code plain} afterwards proves it ended
   * there (a checking stream below fails a longer object).
   */
  static final class EncryptingInput extends ChunkedInput {
    private final InputStream plain;
    private final SecretKeySpec key;
    private final byte[] prefix = new byte[PREFIX];
    private final Cipher cipher = cipher();
    private long remaining;
    private long segment;
    private boolean done;

    EncryptingInput(InputStream plain, long size, byte[] dataKey, String aad) {
      checkArgument(size >= 0, "negative size");
      this.plain = plain;
      this.remaining = size;
      byte[] salt = new byte[SALT];
      RANDOM.nextBytes(salt);
      RANDOM.nextBytes(prefix);
      this.key = objectKey(dataKey, salt, aad);
      serve(header(salt, prefix));
    }

    @Override
    boolean nextChunk() throws IOException {
      if (done) {
        return false;
      }
      seal();
      return true;
    }

    private void seal() throws IOException {
      int n = (int) Math.min(SEGMENT, remaining);
      byte[] segmentPlain = plain.readNBytes(n);
      if (segmentPlain.length < n) {
        throw new EOFException(
            "the plaintext ended " + (remaining - segmentPlain.length) + " bytes early");
      }
      remaining -= n;
      boolean last = remaining == 0;
      if (last && plain.read() >= 0) {
        throw new IOException("the plaintext is longer than its size");
      }
      try {
        cipher.init(
            Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce(prefix, segment, last)));
        serve(cipher.doFinal(segmentPlain));
      } catch (GeneralSecurityException e) {
        throw new IOException("AES-GCM failed", e);
      }
      segment++;
      done = last;
    }

    @Override
    public void close() throws IOException {
      plain.close();
    }
  }
}
