package io.influxbak.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.io.BaseEncoding;
import io.influxbak.store.testing.BothOutcomes;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.StatisticsReport;

/** Checksums as hex, the manifest's form: checked against Guava's Base16 as the reference. */
class ChecksumPropertiesTest {
  @Property(tries = 300)
  void hex_isLowercaseBase16_andReadsBackInEitherCase(
      @ForAll ChecksumAlgorithm algorithm, @ForAll("seeds") long seed) {
    byte[] digest = new byte[algorithm.byteLength()];
    new java.util.Random(seed).nextBytes(digest);
    Checksum checksum = Checksum.of(algorithm, digest);
    String hex = checksum.hex();
    assertThat(hex).isEqualTo(BaseEncoding.base16().lowerCase().encode(digest));
    assertThat(new Checksum(algorithm, hex)).isEqualTo(checksum);
    byte[] appended = new byte[hex.length() + 2];
    assertThat(checksum.appendHex(appended, 1)).isEqualTo(hex.length() + 1);
    assertThat(new String(appended, 1, hex.length(), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo(hex);
    assertThat(new Checksum(algorithm, hex.toUpperCase(Locale.ROOT))).isEqualTo(checksum);
  }

  /**
   * Every way to make a checksum gives the same value (held as an {@code int} for a CRC32C, as
   * bytes otherwise): the same hex, bytes, base64, equality and hash; another digest of the same
   * algorithm, or the same bytes of another, is not equal.
   */
  @Property(tries = 300)
  void everyForm_sameValue_andOnlyTheSameDigestIsEqual(
      @ForAll ChecksumAlgorithm algorithm, @ForAll("seeds") long seed) {
    java.util.Random random = new java.util.Random(seed);
    byte[] digest = new byte[algorithm.byteLength()];
    random.nextBytes(digest);
    Checksum of = Checksum.of(algorithm, digest);
    java.util.List<Checksum> forms =
        new java.util.ArrayList<>(
            java.util.List.of(
                of,
                new Checksum(algorithm, BaseEncoding.base16().encode(digest)),
                Checksum.fromBase64(algorithm, BaseEncoding.base64().encode(digest))));
    if (algorithm == ChecksumAlgorithm.CRC32C) {
      long value = java.nio.ByteBuffer.wrap(digest).getInt() & 0xFFFFFFFFL;
      forms.add(Checksum.crc32c(value));
      assertThat(of.crc32cValue()).isEqualTo(value);
    }
    for (Checksum form : forms) {
      assertThat(form).isEqualTo(of).hasSameHashCodeAs(of);
      assertThat(form.bytes()).isEqualTo(digest);
      assertThat(form.hex()).isEqualTo(BaseEncoding.base16().lowerCase().encode(digest));
      assertThat(form.base64()).isEqualTo(BaseEncoding.base64().encode(digest));
    }
    byte[] other = digest.clone();
    other[random.nextInt(other.length)] ^= (byte) (1 << random.nextInt(8));
    assertThat(Checksum.of(algorithm, other)).isNotEqualTo(of);
    of.bytes()[0] ^= 1; // a copy: changing it changes nothing
    assertThat(of.bytes()).isEqualTo(digest);
  }

  /** Any text: accepted exactly when it is hex of the digest's length, ASCII digits only. */
  @Property(tries = 1000)
  @StatisticsReport(onFailureOnly = true)
  void new_anyText_acceptedExactlyWhenHexOfTheRightLength(@ForAll("texts") String text) {
    ChecksumAlgorithm algorithm = ChecksumAlgorithm.CRC32C;
    String lower = text.toLowerCase(Locale.ROOT);
    boolean valid =
        text.length() == 2 * algorithm.byteLength()
            && lower.length() == text.length()
            && BaseEncoding.base16().lowerCase().canDecode(lower);
    BothOutcomes.record("valid", valid);
    if (valid) {
      assertThat(new Checksum(algorithm, text).hex()).isEqualTo(lower);
    } else {
      assertThatThrownBy(() -> new Checksum(algorithm, text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Invalid CRC32C digest");
    }
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  /** Mostly 8 characters near hex (ASCII digits and letters around a-f, non-ASCII digits). */
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<Character> near =
        Arbitraries.of(
            '0', '9', 'a', 'f', 'A', 'F', 'g', 'G', '@', '`', '/', ':', '\u0660', '\uff10', 'İ');
    Arbitrary<Character> hex = Arbitraries.chars().with("0123456789abcdefABCDEF".toCharArray());
    Arbitrary<Character> character =
        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(12, hex), net.jqwik.api.Tuple.of(1, near));
    return Arbitraries.oneOf(
        character.list().ofSize(8).map(ChecksumPropertiesTest::join),
        character.list().ofMinSize(0).ofMaxSize(10).map(ChecksumPropertiesTest::join));
  }

  private static String join(java.util.List<Character> characters) {
    StringBuilder text = new StringBuilder();
    characters.forEach(text::append);
    return text.toString();
  }
}
