package io.influxbak.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.store.testing.BothOutcomes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.StatisticsReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Key validation: valid keys round-trip, hostile ones are refused with a message naming them. */
class ObjectKeyPropertiesTest {
  @Property
  void of_validSegments_roundTripsAndLiesUnderItsParent(
      @ForAll("segments") java.util.List<String> segments) {
    String text = String.join("/", segments);
    ObjectKey key = ObjectKey.of(text);
    assertThat(key.toString()).isEqualTo(text);
    assertThat(ObjectKey.of(key.toString())).isEqualTo(key);
    assertThat(key.isUnder(key.parent())).isTrue();
    assertThat(key.parent().resolve(key.name())).isEqualTo(key);
  }

  @Property
  void of_keyWithControlCharacter_rejected(
      @ForAll("segments") java.util.List<String> segments, @ForAll("controls") char control) {
    String text = String.join("/", segments) + control + "x";
    assertThatThrownBy(() -> ObjectKey.of(text))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("character");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "/abs", "a//b", "a/../b", "..", "a/./b", "a/", "back\\slash", "\ud800x"})
  void of_hostileKey_rejectedNamingIt(String hostile) {
    assertThatThrownBy(() -> ObjectKey.of(hostile))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("Invalid object key")
        .satisfies(e -> assertThat(((InvalidKeyException) e).key()).isEqualTo(hostile));
  }

  @Property(tries = 20)
  void of_tooLong_rejected(@ForAll("longNames") String name) {
    assertThatThrownBy(() -> ObjectKey.of(name))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("1024");
  }

  /** The key's length in UTF-8 bytes decides, counted as the JDK's encoder counts it. */
  @Property(tries = 300)
  @StatisticsReport(onFailureOnly = true)
  void of_anyUnicode_acceptedExactlyWhenAtMost1024Utf8Bytes(
      @ForAll("unicodeSegments") java.util.List<String> segments) {
    String text = String.join("/", segments);
    boolean fits = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 1024;
    BothOutcomes.record("fits", fits);
    if (fits) {
      assertThat(ObjectKey.of(text).toString()).isEqualTo(text);
    } else {
      assertThatThrownBy(() -> ObjectKey.of(text))
          .isInstanceOf(InvalidKeyException.class)
          .hasMessageContaining("1024");
    }
  }

  @Provide
  Arbitrary<java.util.List<String>> unicodeSegments() {
    Arbitrary<String> codePoint =
        Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between('a', 'z')),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0x7ff)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x800, 0xd7ff)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10ffff)))
            .map(Character::toString);
    Arbitrary<String> segment =
        codePoint
            .list()
            .ofMinSize(1)
            .ofMaxSize(300)
            // uniform sizes: jqwik's default leans to short lists, and a run could then see no key
            // over the limit at all (both outcomes are required)
            .withSizeDistribution(net.jqwik.api.RandomDistribution.uniform())
            .map(points -> String.join("", points))
            .filter(s -> !s.equals(".") && !s.equals(".."));
    return segment
        .list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .withSizeDistribution(net.jqwik.api.RandomDistribution.uniform());
  }

  @Provide
  Arbitrary<java.util.List<String>> segments() {
    Arbitrary<String> segment =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars('-', '_', '=', '%', ' ', '.', 'é', '温')
            .ofMinLength(1)
            .ofMaxLength(12)
            .filter(s -> !s.equals(".") && !s.equals(".."));
    return segment.list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<Character> controls() {
    return Arbitraries.chars().range('\u0000', '\u001f');
  }

  @Provide
  Arbitrary<String> longNames() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1025).ofMaxLength(3000);
  }
}
