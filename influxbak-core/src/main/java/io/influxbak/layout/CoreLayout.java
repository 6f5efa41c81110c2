package io.influxbak.layout;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.ObjectKey;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import javax.annotation.concurrent.Immutable;

/**
 * The layout of one InfluxDB 3 Core node: classifies every key under {@code <node-id>/} into an
 * {@link ObjectKind}, for every released naming generation side by side (an upgraded store mixes
 * them).
 *
 * <p>Catalog log names are ascending in every released server; 2024 pre-release builds wrote
 * inverted names ({@code 2^64-1 - n}) and {@code .catalog.snapshot} files. Both are recognised: a
 * 20-digit number of 2^63 or more can only be an inverted name, since no catalog reaches 2^63
 * sequences.
 */
@Immutable
public final class CoreLayout {
  private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

  private final NodeId node;

  private CoreLayout(NodeId node) {
    this.node = node;
  }

  /** The layout of {@code node}. */
  public static CoreLayout of(NodeId node) {
    return new CoreLayout(requireNonNull(node, "node is null"));
  }

  /** The node this layout describes. */
  public NodeId node() {
    return node;
  }

  /**
   * Classifies a key of this node.
   *
   * @throws IllegalArgumentException if the key is not under the node prefix
   */
  public NodeObject classify(ObjectKey key) {
    String relative = key.relativeTo(node.prefix()); // throws for a key of another prefix
    // Only a name with a '#' can be a staging file's: other keys are not cut to their name.
    if (relative.indexOf('#') >= 0
        && isStaging(relative.substring(relative.lastIndexOf('/') + 1))) {
      return object(key, ObjectKind.STAGING_FILE);
    }
    // Parquet files are nearly every key of a node: parsed whole, not split into segments first.
    if (relative.startsWith("dbs/")) {
      Optional<ParquetPath> parquet = ParquetPath.parse(relative);
      return parquet.isPresent()
          ? new NodeObject(
              node,
              key,
              ObjectKind.PARQUET,
              OptionalLong.of(parquet.get().walSequence()),
              Optional.empty())
          : object(key, ObjectKind.UNKNOWN);
    }
    String[] parts = relative.split("/", -1);
    switch (parts[0]) {
      case "wal":
        if (parts.length == 2 && parts[1].endsWith(".wal")) {
          OptionalLong sequence = SequenceNumbers.parseFixedWidth(stem(parts[1], ".wal"), 11);
          if (sequence.isPresent()) {
            return new NodeObject(node, key, ObjectKind.WAL, sequence, Optional.empty());
          }
        }
        break;
      case "snapshots":
        if (parts.length == 2 && parts[1].endsWith(".info.json")) {
          OptionalLong inverted = SequenceNumbers.parseFixedWidth(stem(parts[1], ".info.json"), 20);
          if (inverted.isPresent()) {
            long sequence = SequenceNumbers.uninvert(inverted.getAsLong());
            return new NodeObject(
                node, key, ObjectKind.SNAPSHOT, OptionalLong.of(sequence), Optional.empty());
          }
        }
        break;
      case "_catalog_checkpoint":
        if (parts.length == 1) {
          return catalog(
              key, ObjectKind.CATALOG_CHECKPOINT, OptionalLong.empty(), CatalogGeneration.V1);
        }
        break;
      case "catalogs":
        if (parts.length == 2) {
          return classifyV1CatalogFile(key, parts[1]);
        }
        break;
      case "catalog":
        return classifyCatalogDirectory(key, parts);
      case "table-snapshots":
        if (parts.length == 4
            && isId(parts[1])
            && isId(parts[2])
            && parts[3].endsWith(".info.json")) {
          OptionalLong sequence = SequenceNumbers.parseFixedWidth(stem(parts[3], ".info.json"), 20);
          if (sequence.isPresent()) {
            return new NodeObject(node, key, ObjectKind.TABLE_SNAPSHOT, sequence, Optional.empty());
          }
        }
        break;
      case "db-indices":
        if (parts.length == 4
            && isId(parts[1])
            && isId(parts[2])
            && parts[3].equals("index.info.json")) {
          return object(key, ObjectKind.TABLE_INDEX);
        }
        break;
      case "table-index-conversion-completed":
        if (parts.length == 1) {
          return object(key, ObjectKind.TABLE_INDEX_CONVERSION_MARKER);
        }
        break;
      case "snapshot-checkpoints":
        if (parts.length == 3
            && MONTH.matcher(parts[1]).matches()
            && parts[2].endsWith(".checkpoint.json")) {
          OptionalLong inverted =
              SequenceNumbers.parseFixedWidth(stem(parts[2], ".checkpoint.json"), 20);
          if (inverted.isPresent()) {
            long sequence = SequenceNumbers.uninvert(inverted.getAsLong());
            return new NodeObject(
                node,
                key,
                ObjectKind.SNAPSHOT_CHECKPOINT,
                OptionalLong.of(sequence),
                Optional.empty());
          }
        }
        break;
      default:
        break;
    }
    return object(key, ObjectKind.UNKNOWN);
  }

  private NodeObject classifyV1CatalogFile(ObjectKey key, String name) {
    if (name.endsWith(".catalog.snapshot")) {
      // Pre-release (2024) checkpoint files, always inverted.
      OptionalLong inverted = SequenceNumbers.parseFixedWidth(stem(name, ".catalog.snapshot"), 20);
      if (inverted.isPresent()) {
        long sequence = SequenceNumbers.uninvert(inverted.getAsLong());
        return catalog(
            key, ObjectKind.CATALOG_CHECKPOINT, OptionalLong.of(sequence), CatalogGeneration.V1);
      }
    } else if (name.endsWith(".catalog")) {
      OptionalLong number = SequenceNumbers.parseFixedWidth(stem(name, ".catalog"), 20);
      if (number.isPresent()) {
        return catalog(
            key,
            ObjectKind.CATALOG_LOG,
            OptionalLong.of(catalogSequence(number.getAsLong())),
            CatalogGeneration.V1);
      }
    }
    return object(key, ObjectKind.UNKNOWN);
  }

  private NodeObject classifyCatalogDirectory(ObjectKey key, String[] parts) {
    if (parts.length >= 2 && parts[1].equals("restores")) {
      return object(key, ObjectKind.CATALOG_RESTORE_STAGING);
    }
    if (parts.length >= 3) {
      CatalogGeneration generation =
          parts[1].equals("v2")
              ? CatalogGeneration.V2
              : parts[1].equals("v3") ? CatalogGeneration.V3 : null;
      if (generation != null) {
        if (parts.length == 3 && parts[2].equals("snapshot")) {
          return catalog(key, ObjectKind.CATALOG_CHECKPOINT, OptionalLong.empty(), generation);
        }
        if (parts.length == 4 && parts[2].equals("logs") && parts[3].endsWith(".catalog")) {
          OptionalLong number = SequenceNumbers.parseFixedWidth(stem(parts[3], ".catalog"), 20);
          if (number.isPresent()) {
            return catalog(
                key,
                ObjectKind.CATALOG_LOG,
                OptionalLong.of(catalogSequence(number.getAsLong())),
                generation);
          }
        }
      }
    }
    return object(key, ObjectKind.UNKNOWN);
  }

  /** Un-inverts pre-release inverted catalog names (2^63 or more); released names are ascending. */
  private static long catalogSequence(long number) {
    return number < 0 ? SequenceNumbers.uninvert(number) : number;
  }

  private NodeObject object(ObjectKey key, ObjectKind kind) {
    return new NodeObject(node, key, kind, OptionalLong.empty(), Optional.empty());
  }

  private NodeObject catalog(
      ObjectKey key, ObjectKind kind, OptionalLong sequence, CatalogGeneration generation) {
    return new NodeObject(node, key, kind, sequence, Optional.of(generation));
  }

  private static String stem(String name, String suffix) {
    return name.substring(0, name.length() - suffix.length());
  }

  /** Whether {@code segment} is a database or table id: 1 to 19 decimal digits. */
  static boolean isId(String segment) {
    return !segment.isEmpty()
        && segment.length() <= 19
        && SequenceNumbers.asciiDigits(segment, 0, segment.length());
  }

  /**
   * Whether a file name is a staging file's, {@code <name>#<digits>}: what the regular expression
   * {@code .*#\d+} matches (so no line terminator before the '#'), without running one per key.
   */
  static boolean isStaging(String name) {
    int hash = name.lastIndexOf('#');
    if (hash < 0
        || hash == name.length() - 1
        || !SequenceNumbers.asciiDigits(name, hash + 1, name.length())) {
      return false;
    }
    for (int i = 0; i < hash; i++) {
      char c = name.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return false;
      }
    }
    return true;
  }
}
