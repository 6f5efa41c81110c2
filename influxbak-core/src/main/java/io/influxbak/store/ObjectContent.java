package io.influxbak.store;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The content of an object to write: its exact length, a way to open it, and the checksums already
 * known for it (so an adapter can ask the service to verify the upload).
 *
 * <p>Like Guava's {@code ByteSource}, every {@link #openStream()} call returns a new, independent
 * stream from the first byte, so SDK retries and multipart re-sends are safe. A stream that yields
 * more or fewer bytes than {@link #length()} makes the write fail without publishing anything.
 */
public interface ObjectContent {
  /** The exact number of bytes {@link #openStream()} yields. */
  long length();

  /** A new stream over the whole content. */
  InputStream openStream() throws IOException;

  /** Checksums of the content known before the write (empty when none are). */
  default Set<Checksum> knownChecksums() {
    return ImmutableSet.of();
  }

  /** Content held in memory; the array is not copied, so it must not change afterwards. */
  static ObjectContent ofBytes(byte[] bytes) {
    requireNonNull(bytes, "bytes is null");
    return new ObjectContent() {
      @Override
      public long length() {
        return bytes.length;
      }

      @Override
      public InputStream openStream() {
        return new ByteArrayInputStream(bytes);
      }
    };
  }

  /** The current content of a local file; its length is read once, now. */
  static ObjectContent ofFile(Path file) throws IOException {
    requireNonNull(file, "file is null");
    long length = Files.size(file);
    return new ObjectContent() {
      @Override
      public long length() {
        return length;
      }

      @Override
      public InputStream openStream() throws IOException {
        return Files.newInputStream(file);
      }
    };
  }

  /**
   * The content of an object in a store, streamed from it on each open. The object's checksums, as
   * the store reported them, are passed on as known checksums.
   */
  static ObjectContent ofObject(ObjectStore store, ObjectInfo source) {
    requireNonNull(store, "store is null");
    requireNonNull(source, "source is null");
    return withChecksums(
        new ObjectContent() {
          @Override
          public long length() {
            return source.size();
          }

          @Override
          public InputStream openStream() throws IOException {
            return store.open(source.key());
          }
        },
        source.checksums());
  }

  /** The same content, with the given checksums declared as known. */
  static ObjectContent withChecksums(ObjectContent content, Set<Checksum> checksums) {
    requireNonNull(content, "content is null");
    ImmutableSet<Checksum> known = ImmutableSet.copyOf(checksums);
    checkArgument(
        known.stream().map(Checksum::algorithm).distinct().count() == known.size(),
        "More than one checksum per algorithm: %s",
        known);
    return new ObjectContent() {
      @Override
      public long length() {
        return content.length();
      }

      @Override
      public InputStream openStream() throws IOException {
        return content.openStream();
      }

      @Override
      public Set<Checksum> knownChecksums() {
        return known;
      }
    };
  }
}
