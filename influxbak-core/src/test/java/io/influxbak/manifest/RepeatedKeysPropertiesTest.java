package io.influxbak.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.ObjectKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link RepeatedKeys} finds the key a {@code HashSet} finds first: the entries' keys are drawn
 * from a small pool (so that some lists repeat one) whose names collide in {@code String.hashCode}
 * ("Aa" and "BB" hash alike), so that probes meet equal hashes of different keys.
 */
class RepeatedKeysPropertiesTest {
  /** Pieces of equal hash: any two names of the same number of pieces hash alike. */
  private static final String[] COLLIDING = {"Aa", "BB"};

  @Property(tries = 500)
  void findsTheKeyAHashSetFindsFirst(@ForAll Random random) {
    List<ManifestEntry> entries = new ArrayList<>();
    int count = random.nextInt(10) == 0 ? random.nextInt(5_000) : random.nextInt(60);
    // distinct names (a shuffled range), then in half the lists some repeated at later positions
    List<Integer> names = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      names.add(n);
    }
    Collections.shuffle(names, random);
    int repeats = count >= 2 && random.nextBoolean() ? 1 + random.nextInt(3) : 0;
    for (int r = 0; r < repeats; r++) {
      int later = 1 + random.nextInt(count - 1);
      names.set(later, names.get(random.nextInt(later)));
    }
    for (int n : names) {
      entries.add(entry(name(n)));
    }

    Optional<ObjectKey> expected = Optional.empty();
    Set<ObjectKey> seen = new HashSet<>();
    for (ManifestEntry entry : entries) {
      if (!seen.add(entry.key())) {
        expected = Optional.of(entry.key());
        break;
      }
    }

    assertThat(RepeatedKeys.first(entries)).isEqualTo(expected);
    Statistics.label("outcome").collect(expected.isPresent() ? "repeated" : "all distinct");
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("repeated").percentage(p -> p > 20);
              c.check("all distinct").percentage(p -> p > 20);
            });
  }

  @Example
  void keysOfEqualHashAreToldApart() {
    ObjectKey first = ObjectKey.of("node0/wal/" + name(5));
    ObjectKey second = ObjectKey.of("node0/wal/" + name(12));
    assertThat(first.hashCode()).isEqualTo(second.hashCode());
    assertThat(first).isNotEqualTo(second);

    assertThat(RepeatedKeys.first(List.of(entry(name(5)), entry(name(12))))).isEmpty();
    assertThat(RepeatedKeys.first(List.of(entry(name(5)), entry(name(12)), entry(name(5)))))
        .contains(first);
    assertThat(RepeatedKeys.first(List.of())).isEmpty();
  }

  @Example
  void aManifestNamingAKeyTwiceIsRefusedNamingIt() throws IOException {
    BackupManifest manifest =
        ManifestValidationTest.oneWalFile(Optional.empty())
            .completed(List.of(), List.of(entry(name(1)), entry(name(2)), entry(name(1))));
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    ManifestFormat.write(manifest, text);

    assertThatThrownBy(
            () ->
                ManifestFormat.read(
                    new ByteArrayInputStream(text.toByteArray()), "b/manifest.json", 100))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("b/manifest.json")
        .hasMessageContaining("object node0/wal/" + name(1) + " is listed twice");
  }

  /**
   * The {@code n}th name of the pool: n's binary digits as colliding pieces, then n modulo 7, so
   * that names of equal remainder hash alike and the rest spread over other slots.
   */
  private static String name(int n) {
    StringBuilder name = new StringBuilder();
    for (int bit = 0; bit < 14; bit++) {
      name.append(COLLIDING[(n >>> bit) & 1]);
    }
    return name.append('-').append(n % 7).append(".wal").toString();
  }

  private static ManifestEntry entry(String name) {
    return new ManifestEntry(
        ObjectKey.of("node0/wal/" + name),
        ObjectKind.WAL,
        CopyPhase.WAL,
        4,
        Optional.empty(),
        Optional.empty());
  }
}
