package io.influxbak.manifest;

import com.google.common.collect.ImmutableList;
import java.util.AbstractList;
import java.util.RandomAccess;
import java.util.function.Function;

/**
 * Manifest entries computed on access from an immutable list of something else: a manifest of
 * millions of objects written without millions of entry objects held at once. Immutable, because
 * its source is and the function is pure.
 */
final class ComputedEntries<T> extends AbstractList<ManifestEntry> implements RandomAccess {
  private final ImmutableList<T> source;
  private final Function<? super T, ManifestEntry> toEntry;

  ComputedEntries(ImmutableList<T> source, Function<? super T, ManifestEntry> toEntry) {
    this.source = source;
    this.toEntry = toEntry;
  }

  @Override
  public ManifestEntry get(int index) {
    return toEntry.apply(source.get(index));
  }

  @Override
  public int size() {
    return source.size();
  }
}
