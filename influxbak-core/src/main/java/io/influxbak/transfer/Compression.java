package io.influxbak.transfer;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Sets;
import io.influxbak.layout.ObjectKind;
import io.influxbak.manifest.Encoding;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.Deflater;
import javax.annotation.concurrent.Immutable;

/**
 * How a backup compresses its copies: which kinds, with which encoding and level. Recorded per
 * object in the manifest ({@link io.influxbak.manifest.StoredCopy}); restore and verify decompress
 * transparently, and the manifest's hashes always cover the original bytes.
 *
 * @param encoding the encoding of compressed copies ({@link Encoding#IDENTITY} compresses nothing)
 * @param level the deflate level, 1 (fastest) to 9 (smallest)
 * @param kinds the kinds compressed
 */
@Immutable
public record Compression(Encoding encoding, int level, Set<ObjectKind> kinds) {
  /** Checks the parts. */
  public Compression {
    requireNonNull(encoding, "encoding is null");
    kinds = ImmutableSet.copyOf(requireNonNull(kinds, "kinds is null"));
    checkArgument(
        level >= Deflater.BEST_SPEED && level <= Deflater.BEST_COMPRESSION,
        "level must be 1 to 9: %s",
        level);
  }

  /** No compression: copies are the objects' own bytes. */
  public static Compression none() {
    return new Compression(Encoding.IDENTITY, Deflater.BEST_SPEED, ImmutableSet.of());
  }

  /**
   * Gzip at level 1 for every kind except Parquet files (already compressed, and most of the bytes:
   * deflating them again costs CPU and saves little). WAL files, snapshots and catalogs are JSON or
   * bitcode that shrink well even at the fastest level.
   */
  public static Compression gzip() {
    return new Compression(
        Encoding.GZIP,
        Deflater.BEST_SPEED,
        Sets.difference(EnumSet.allOf(ObjectKind.class), EnumSet.of(ObjectKind.PARQUET)));
  }

  /** The same compression at another deflate level. */
  public Compression level(int level) {
    return new Compression(encoding, level, kinds);
  }

  /** The same compression, applied to Parquet files too. */
  public Compression includingParquet() {
    return new Compression(encoding, level, Sets.union(kinds, EnumSet.of(ObjectKind.PARQUET)));
  }

  /** Whether copies of {@code kind} are compressed. */
  public boolean compresses(ObjectKind kind) {
    return encoding != Encoding.IDENTITY && kinds.contains(kind);
  }
}
