package io.influxbak.store.settings;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * The settings one provider was opened with, checked against the keys it knows. Keys under the
 * provider's prefix (such as {@code s3.}) that it does not know are refused, naming the known keys
 * and the nearest one: a misspelled {@code s3.regoin} must not silently do nothing. Keys under
 * other prefixes belong to other stores and are left alone (one map may serve a source and a
 * destination of different kinds).
 */
public final class StoreSettings {
  private final ImmutableMap<String, String> properties;
  private final ImmutableSortedSet<String> known;

  private StoreSettings(ImmutableMap<String, String> properties, ImmutableSortedSet<String> known) {
    this.properties = properties;
    this.known = known;
  }

  /**
   * Checks {@code properties} against the {@code known} settings of the provider whose keys start
   * with {@code prefix}.
   *
   * @throws InvalidStoreSettingException for a key under {@code prefix} that is not known
   */
  public static StoreSettings of(
      String prefix, Collection<StoreSetting<?>> known, Map<String, String> properties) {
    requireNonNull(prefix, "prefix is null");
    requireNonNull(properties, "properties is null");
    ImmutableSortedSet<String> keys =
        requireNonNull(known, "known is null").stream()
            .map(StoreSetting::key)
            .collect(ImmutableSortedSet.toImmutableSortedSet(Comparator.naturalOrder()));
    for (String key : keys) {
      checkArgument(key.startsWith(prefix), "setting %s is not under %s", key, prefix);
    }
    for (String key : properties.keySet()) {
      if (key.startsWith(prefix) && !keys.contains(key)) {
        throw new InvalidStoreSettingException(key, unknown(key, keys));
      }
    }
    return new StoreSettings(ImmutableMap.copyOf(properties), keys);
  }

  /** The message for an unknown key: the nearest known key, if one is close, and all of them. */
  static String unknown(String key, Collection<String> known) {
    String nearest = null;
    int best = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = editDistance(key, candidate);
      if (distance < best) {
        best = distance;
        nearest = candidate;
      }
    }
    boolean close = nearest != null && best <= Math.max(2, key.length() / 4);
    return "Unknown store setting '"
        + key
        + "'"
        + (close ? "; did you mean '" + nearest + "'?" : "")
        + " Known settings: "
        + String.join(", ", known);
  }

  /** Levenshtein distance: insertions, deletions and substitutions. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /**
   * The value of {@code setting}, if set.
   *
   * @throws InvalidStoreSettingException when its text cannot be read as the setting's type
   */
  public <T> Optional<T> get(StoreSetting<T> setting) {
    checkKnown(setting);
    return Optional.ofNullable(properties.get(setting.key())).map(setting::parse);
  }

  /** The value of {@code setting}, or {@code fallback} when it is not set. */
  public <T> T get(StoreSetting<T> setting, T fallback) {
    return get(setting).orElse(requireNonNull(fallback, "fallback is null"));
  }

  /** Whether {@code setting} is set. */
  public boolean isSet(StoreSetting<?> setting) {
    checkKnown(setting);
    return properties.containsKey(setting.key());
  }

  private void checkKnown(StoreSetting<?> setting) {
    checkArgument(known.contains(setting.key()), "%s is not one of %s", setting, known);
  }

  @Override
  public String toString() {
    return "StoreSettings" + properties.keySet(); // keys only: values may be credentials
  }
}
