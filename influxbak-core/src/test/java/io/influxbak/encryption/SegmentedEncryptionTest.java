package io.influxbak.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The segment format: what it encrypts decrypts back, its sizes are known in advance, and every
 * change to the ciphertext (a flipped bit, a cut, a moved, dropped, added or borrowed segment, the
 * wrong key or object) fails the read with {@link DecryptionFailedException} before any plaintext
 * of the damaged segment is returned.
 */
class SegmentedEncryptionTest {
  private static final int SEGMENT = SegmentedAead.SEGMENT;
  private static final int SEALED = SEGMENT + SegmentedAead.TAG;
  private final DataKey key = DataKey.generate();

  private static byte[] plaintext(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] encrypt(DataKey key, byte[] plain, String aad) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream encrypting = key.encrypt(out, aad)) {
      // odd-sized writes, so segment boundaries fall inside writes
      for (int i = 0; i < plain.length; i += 7919) {
        encrypting.write(plain, i, Math.min(7919, plain.length - i));
      }
    }
    return out.toByteArray();
  }

  private static byte[] decrypt(DataKey key, byte[] sealed, String aad) throws IOException {
    try (InputStream in = key.decrypt(new ByteArrayInputStream(sealed), aad, aad)) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT, 3 * SEGMENT + 17})
  void roundTrip_atSegmentBoundaries_sizeAsPredicted(int size) throws IOException {
    byte[] plain = plaintext(size, size);

    byte[] sealed = encrypt(key, plain, "b/node0/wal/00000000001.wal.enc");

    assertThat((long) sealed.length).isEqualTo(DataKey.ciphertextSize(size));
    assertThat(DataKey.isEncrypted(Arrays.copyOf(sealed, DataKey.HEAD_LENGTH))).isTrue();
    assertThat(decrypt(key, sealed, "b/node0/wal/00000000001.wal.enc")).isEqualTo(plain);
  }

  /** The pulled form (what an upload streams) is the same format as the pushed one. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT, 3 * SEGMENT + 17})
  void encryptingAsRead_decryptsBack_sizeAsPredicted(int size) throws IOException {
    byte[] plain = plaintext(size, size + 1);
    byte[] sealed;
    try (InputStream in = key.encrypting(new ByteArrayInputStream(plain), size, "k")) {
      sealed = in.readAllBytes();
    }

    assertThat((long) sealed.length).isEqualTo(DataKey.ciphertextSize(size));
    assertThat(decrypt(key, sealed, "k")).isEqualTo(plain);
    assertThatThrownBy(
            () -> key.encrypting(new ByteArrayInputStream(plain), size + 1L, "k").readAllBytes())
        .as("a plaintext shorter than its size")
        .isInstanceOf(java.io.EOFException.class);
    if (size > 0) {
      assertThatThrownBy(
              () -> key.encrypting(new ByteArrayInputStream(plain), size - 1L, "k").readAllBytes())
          .as("a plaintext longer than its size")
          .hasMessageContaining("longer than its size");
    }
  }

  @Test
  void sameBytesTwice_differentCiphertext() throws IOException {
    byte[] plain = plaintext(1000, 1);
    assertThat(encrypt(key, plain, "a")).isNotEqualTo(encrypt(key, plain, "a"));
  }

  @Test
  void wrongKeyOrOtherObject_fails() throws IOException {
    byte[] sealed = encrypt(key, plaintext(100, 2), "b/x.enc");

    assertThatThrownBy(() -> decrypt(DataKey.generate(), sealed, "b/x.enc"))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContaining("b/x.enc")
        .hasMessageContaining("segment 0 does not authenticate");
    assertThatThrownBy(() -> decrypt(key, sealed, "b/y.enc"))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContaining("b/y.enc");
  }

  @Test
  void plainBytes_refusedAsNotEncrypted() {
    assertThatThrownBy(() -> decrypt(key, "{\"formatVersion\":2}".getBytes(), "m"))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessageContaining("not encrypted by influxbak");
  }

  /** Where a flipped bit, a cut or an extension lands, and what a reader got before it failed. */
  @Property(tries = 300)
  void anyBitFlipped_failsAtItsSegment_withOnlyEarlierPlaintextReturned(
      @ForAll @IntRange(min = 0, max = 3 * SEGMENT + 100) int size,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int where,
      @ForAll @IntRange(min = 0, max = 7) int bit)
      throws IOException {
    byte[] plain = plaintext(size, where);
    byte[] sealed = encrypt(key, plain, "o");
    int at = where % sealed.length;
    sealed[at] ^= (byte) (1 << bit);
    int damagedSegment = Math.max(0, (at - SegmentedAead.HEADER) / SEALED);
    Statistics.label("in header").collect(at < SegmentedAead.HEADER);
    Statistics.label("in header").coverage(c -> c.check(true).count(n -> n > 0));
    Statistics.label("in header").coverage(c -> c.check(false).percentage(p -> p > 30));

    ByteArrayOutputStream got = new ByteArrayOutputStream();
    assertThatThrownBy(() -> drain(key.decrypt(new ByteArrayInputStream(sealed), "o", "o"), got))
        .isInstanceOf(DecryptionFailedException.class);
    // A flip in the header spoils every segment (the salt, the prefix): nothing comes out.
    int released = at < SegmentedAead.HEADER ? 0 : damagedSegment * SEGMENT;
    assertThat(got.size()).isLessThanOrEqualTo(released);
    assertThat(got.toByteArray()).isEqualTo(Arrays.copyOf(plain, got.size()));
  }

  @Property(tries = 200)
  void anyCutOrExtension_fails(
      @ForAll @IntRange(min = 0, max = 3 * SEGMENT + 100) int size,
      @ForAll @IntRange(min = -3 * SEALED, max = 40) int change)
      throws IOException {
    byte[] sealed = encrypt(key, plaintext(size, size), "o");
    int length = sealed.length + change;
    if (change == 0 || length < 0) {
      return;
    }
    byte[] altered = Arrays.copyOf(sealed, length); // pads with zeros when longer
    Statistics.label("cut").collect(change < 0);
    boolean atBoundary = change < 0 && (length - SegmentedAead.HEADER) % SEALED == 0;
    Statistics.label("cut at a segment boundary").collect(atBoundary);
    Statistics.label("cut").coverage(c -> c.check(true).percentage(p -> p > 50));

    assertThatThrownBy(() -> decrypt(key, altered, "o"))
        .isInstanceOf(DecryptionFailedException.class);
  }

  @Provide
  Arbitrary<int[]> twoSegments() {
    return Combinators.combine(
            Arbitraries.integers().between(2, 5), Arbitraries.integers().between(0, 4))
        .as((segments, i) -> new int[] {segments, i % segments, (i + 1) % segments});
  }

  /** Segments moved within an object, dropped, repeated, or taken from another object. */
  @Property(tries = 100)
  void segmentsReorderedDroppedRepeatedOrBorrowed_fail(@ForAll("twoSegments") int[] pick)
      throws IOException {
    int segments = pick[0];
    byte[] sealed = encrypt(key, plaintext(segments * SEGMENT - 5, segments), "o");
    byte[] other = encrypt(key, plaintext(segments * SEGMENT - 5, segments), "p");

    assertThatThrownBy(() -> decrypt(key, swap(sealed, pick[1], pick[2]), "o"))
        .isInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(() -> decrypt(key, drop(sealed, pick[1]), "o"))
        .isInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(() -> decrypt(key, repeat(sealed, pick[1]), "o"))
        .isInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(() -> decrypt(key, borrow(sealed, other, pick[1]), "o"))
        .isInstanceOf(DecryptionFailedException.class);
  }

  private static void drain(InputStream in, ByteArrayOutputStream got) throws IOException {
    try (in) {
      byte[] buffer = new byte[4096];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        got.write(buffer, 0, n);
      }
    }
  }

  private static int start(int segment) {
    return SegmentedAead.HEADER + segment * SEALED;
  }

  private static int end(byte[] sealed, int segment) {
    return Math.min(sealed.length, start(segment + 1));
  }

  private static byte[] swap(byte[] sealed, int a, int b) {
    int first = Math.min(a, b);
    int second = Math.max(a, b);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(sealed, 0, start(first));
    out.write(sealed, start(second), end(sealed, second) - start(second));
    out.write(sealed, end(sealed, first), start(second) - end(sealed, first));
    out.write(sealed, start(first), end(sealed, first) - start(first));
    out.write(sealed, end(sealed, second), sealed.length - end(sealed, second));
    return out.toByteArray();
  }

  private static byte[] drop(byte[] sealed, int segment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(sealed, 0, start(segment));
    out.write(sealed, end(sealed, segment), sealed.length - end(sealed, segment));
    return out.toByteArray();
  }

  private static byte[] repeat(byte[] sealed, int segment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(sealed, 0, end(sealed, segment));
    out.write(sealed, start(segment), sealed.length - start(segment));
    return out.toByteArray();
  }

  private static byte[] borrow(byte[] sealed, byte[] other, int segment) {
    byte[] mixed = sealed.clone();
    System.arraycopy(
        other, start(segment), mixed, start(segment), end(other, segment) - start(segment));
    return mixed;
  }
}
