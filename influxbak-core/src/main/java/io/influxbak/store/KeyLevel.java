package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import java.util.List;
import java.util.Set;

/**
 * One level of the keys under a prefix, as a delimiter listing gives it ({@link
 * ObjectReader#listLevel}): the objects directly under the prefix and the prefixes one segment
 * deeper. Together they cover every key under the prefix: each lies directly under it or under one
 * of the deeper prefixes.
 *
 * @param objects the objects directly under the prefix
 * @param prefixes the prefixes one segment deeper with objects under them (a file store may give an
 *     empty directory too, whose listing is then empty)
 */
public record KeyLevel(List<ObjectInfo> objects, Set<KeyPrefix> prefixes) {
  /** Copies both into immutable collections. */
  public KeyLevel {
    objects = ImmutableList.copyOf(requireNonNull(objects, "objects is null"));
    prefixes = ImmutableSet.copyOf(requireNonNull(prefixes, "prefixes is null"));
  }
}
