package io.influxbak.store.settings;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * One typed setting of a store provider: its key (such as {@code s3.part-size}) and how its text
 * becomes a value. Adapters declare theirs as constants and read them through {@link
 * StoreSettings}, which refuses unknown keys.
 *
 * @param <T> the value's type
 */
public final class StoreSetting<T> {
  private final String key;
  private final String expected;
  private final Function<String, Optional<T>> parser;

  private StoreSetting(String key, String expected, Function<String, Optional<T>> parser) {
    checkArgument(!requireNonNull(key, "key is null").isBlank(), "blank key");
    this.key = key;
    this.expected = expected;
    this.parser = parser;
  }

  /** Free text: an endpoint, a name, a credential (a value never shown in an error). */
  public static StoreSetting<String> text(String key) {
    return new StoreSetting<>(key, "text", Optional::of);
  }

  /** A number of bytes, at least zero; {@code _} may group digits ({@code 16_777_216}). */
  public static StoreSetting<Long> bytes(String key) {
    return new StoreSetting<>(
        key, "a number of bytes", text -> wholeNumber(text, 0, Long.MAX_VALUE));
  }

  /** A whole number, at least zero. */
  public static StoreSetting<Long> count(String key) {
    return new StoreSetting<>(
        key, "a whole number of at least 0", text -> wholeNumber(text, 0, Long.MAX_VALUE));
  }

  /** A whole number, at least one. */
  public static StoreSetting<Integer> positiveInt(String key) {
    return new StoreSetting<>(
        key,
        "a whole number of at least 1",
        text -> wholeNumber(text, 1, Integer.MAX_VALUE).map(Math::toIntExact));
  }

  /**
   * {@code text} as a whole number from {@code minimum} to {@code maximum}; {@code _} may group.
   */
  private static Optional<Long> wholeNumber(String text, long minimum, long maximum) {
    try {
      long value = Long.parseLong(text.trim().replace("_", ""));
      return value < minimum || value > maximum ? Optional.empty() : Optional.of(value);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * A positive duration: ISO-8601 ({@code PT5S}) or a number with a unit, {@code ms}, {@code s} or
   * {@code m} ({@code 500ms}, {@code 5s}, {@code 2m}).
   */
  public static StoreSetting<Duration> duration(String key) {
    return new StoreSetting<>(
        key,
        "a duration such as 5s, 500ms, 2m or PT5S",
        text -> {
          String t = text.trim().toLowerCase(Locale.ROOT);
          try {
            Duration value;
            if (t.startsWith("p")) {
              value = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else if (t.endsWith("ms")) {
              value = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
              value = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
              value = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
              return Optional.empty();
            }
            return value.isNegative() || value.isZero() ? Optional.empty() : Optional.of(value);
          } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            return Optional.empty();
          }
        });
  }

  /** {@code true} or {@code false} (any case); anything else is refused, not read as false. */
  public static StoreSetting<Boolean> flag(String key) {
    return choice(key, ImmutableMap.of("true", true, "false", false));
  }

  /** One of the given words (any case), each standing for a value. */
  public static <T> StoreSetting<T> choice(String key, ImmutableMap<String, T> values) {
    requireNonNull(key, "key is null");
    checkArgument(!requireNonNull(values, "values is null").isEmpty(), "no choices");
    return new StoreSetting<>(
        key,
        String.join(" or ", values.keySet()),
        text -> Optional.ofNullable(values.get(text.trim().toLowerCase(Locale.ROOT))));
  }

  /** The key, such as {@code s3.part-size}. */
  public String key() {
    return key;
  }

  /**
   * The value {@code text} stands for.
   *
   * @throws InvalidStoreSettingException naming the key, the text and what was expected
   */
  T parse(String text) {
    return parser
        .apply(text)
        .orElseThrow(
            () ->
                new InvalidStoreSettingException(
                    key, "Invalid " + key + " '" + text + "': expected " + expected));
  }

  @Override
  public String toString() {
    return key;
  }
}
