package io.influxbak.repository;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.influxbak.store.KeyLevel;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Lists a scope as many listings at once instead of one. On a cloud store one paged listing of 10
 * million keys is 10,000 requests in a row, each waiting for the last; a node's keys are spread
 * over its tables. So the levels above the tables (the scope, the levels down to each node prefix,
 * each node's {@code dbs/} and each database) are read with one delimiter listing each ({@link
 * ObjectReader#listLevel}), and then every table prefix and every other prefix is listed whole, at
 * most {@code parallelism} at a time. A store whose listings are local ({@link
 * io.influxbak.store.StoreCapabilities#remoteListing} false) has no round trips to overlap, and its
 * scope is listed whole, as it is with a parallelism of one. The objects directly under each level
 * are kept too, so the union is exactly what one listing of the scope gives. Each listing is turned
 * into the caller's values on its own thread, so a large node is never held as listed objects. The
 * backup planner lists a node this way, and {@link BackupRepository#storedObjects} a backup's root
 * (its nodes one level below).
 */
public final class ParallelListing {
  /** Below {@code dbs/}: the databases, then their tables. */
  private static final int LEVELS_BELOW_DBS = 2;

  private ParallelListing() {}

  /**
   * What {@code convert} makes of every object under {@code scope} (it returns null to leave one
   * out), grouped by prefix in key order of the prefixes. The node prefixes are {@code nodeDepth}
   * levels below {@code scope}: 0 when the scope is a node, 1 for a backup's root.
   */
  public static <T> List<T> list(
      ObjectReader source,
      KeyPrefix scope,
      int nodeDepth,
      int parallelism,
      Function<ObjectInfo, T> convert)
      throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(scope, "scope is null");
    requireNonNull(convert, "convert is null");
    checkArgument(nodeDepth >= 0, "Negative node depth %s", nodeDepth);
    if (parallelism <= 1 || !source.capabilities().remoteListing()) {
      return listWhole(source, scope, convert); // one listing: nothing to overlap
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            parallelism,
            new ThreadFactoryBuilder().setNameFormat("influxbak-list-%d").setDaemon(true).build());
    try {
      List<T> results = new ArrayList<>();
      List<KeyPrefix> whole = new ArrayList<>();
      List<KeyPrefix> levels = List.of(scope);
      for (int depth = 0; !levels.isEmpty(); depth++) {
        List<KeyPrefix> next = new ArrayList<>();
        List<KeyLevel> listed = all(pool, levels, source::listLevel);
        for (int i = 0; i < levels.size(); i++) {
          KeyLevel level = listed.get(i);
          convertAll(level.objects(), convert, results);
          for (KeyPrefix child : sorted(level.prefixes())) {
            (descends(levels.get(i), child, depth - nodeDepth) ? next : whole).add(child);
          }
        }
        levels = next;
      }
      for (List<T> part : all(pool, whole, prefix -> listWhole(source, prefix, convert))) {
        results.addAll(part);
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Whether {@code child} of {@code parent} is read by a delimiter listing too: every level above
   * the nodes ({@code belowNode} negative), a node's {@code dbs/}, and the databases under it.
   */
  private static boolean descends(KeyPrefix parent, KeyPrefix child, int belowNode) {
    if (belowNode < 0) {
      return true;
    }
    return belowNode == 0
        ? child.equals(parent.resolvePrefix("dbs"))
        : belowNode < LEVELS_BELOW_DBS;
  }

  private static <T> List<T> listWhole(
      ObjectReader source, KeyPrefix prefix, Function<ObjectInfo, T> convert) throws IOException {
    List<T> part = new ArrayList<>();
    try (ObjectIterator listing = source.list(prefix)) {
      while (listing.hasNext()) {
        T value = convert.apply(listing.next());
        if (value != null) {
          part.add(value);
        }
      }
    }
    return part;
  }

  private static <T> void convertAll(
      List<ObjectInfo> objects, Function<ObjectInfo, T> convert, List<T> into) {
    for (ObjectInfo object : objects) {
      T value = convert.apply(object);
      if (value != null) {
        into.add(value);
      }
    }
  }

  private static List<KeyPrefix> sorted(java.util.Set<KeyPrefix> prefixes) {
    List<KeyPrefix> sorted = new ArrayList<>(prefixes);
    sorted.sort(Comparator.comparing(KeyPrefix::toString));
    return sorted;
  }

  /** A listing task. */
  private interface Listing<R> {
    R list(KeyPrefix prefix) throws IOException;
  }

  /** {@code listing} of every prefix, run on the pool, results in the prefixes' order. */
  private static <R> List<R> all(ExecutorService pool, List<KeyPrefix> prefixes, Listing<R> listing)
      throws IOException {
    List<Future<R>> futures = new ArrayList<>();
    for (KeyPrefix prefix : prefixes) {
      futures.add(pool.submit(() -> listing.list(prefix)));
    }
    List<R> results = new ArrayList<>();
    try {
      for (Future<R> future : futures) {
        results.add(future.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while listing");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException(e.getCause());
    } finally {
      futures.forEach(f -> f.cancel(true));
    }
    return results;
  }
}
