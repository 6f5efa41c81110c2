package io.influxbak.store.fs;

import com.google.common.collect.ImmutableSet;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.StoreId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Stream;
import javax.annotation.Nullable;

/**
 * Lists a file-system store: walks directories lazily, leaving out directories, this store's
 * temporary files (a write in progress) and files deleted while listed.
 */
final class FileListing {
  /** How this store's temporary files start; they are never listed. */
  static final String TEMP_PREFIX = ".influxbak-";

  /** How this store's temporary files end. */
  static final String TEMP_SUFFIX = ".tmp";

  private final Path root;
  private final StoreId id;

  FileListing(Path root, StoreId id) {
    this.root = root;
    this.id = id;
  }

  /** Every object under {@code start}, the directory of {@code prefix}, walked lazily. */
  ObjectIterator walk(KeyPrefix prefix, Path start) throws IOException {
    Stream<Path> walk;
    try {
      walk = Files.walk(start);
    } catch (NoSuchFileException e) {
      return ObjectIterator.empty();
    }
    Iterator<Path> paths = walk.iterator();
    return new ObjectIterator() {
      private ObjectInfo next;

      @Override
      public boolean hasNext() throws IOException {
        try {
          while (next == null && paths.hasNext()) {
            Path path = paths.next();
            next = listed(path);
          }
        } catch (UncheckedIOException e) {
          throw new IOException(
              "Cannot list " + prefix + " in " + id + ": " + e.getCause().getMessage(),
              e.getCause());
        }
        return next != null;
      }

      @Override
      public ObjectInfo next() throws IOException {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ObjectInfo result = next;
        next = null;
        return result;
      }

      @Override
      public void close() {
        walk.close();
      }
    };
  }

  /** Whether {@code directory} holds an object somewhere below it. */
  boolean holdsAnObject(Path directory) throws IOException {
    try (Stream<Path> walk = Files.walk(directory)) {
      Iterator<Path> paths = walk.iterator();
      while (paths.hasNext()) {
        if (listed(paths.next()) != null) {
          return true;
        }
      }
      return false;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The object at {@code path}, or null for directories, temporary files and vanished files. */
  @Nullable
  ObjectInfo listed(Path path) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null; // deleted while we listed
    }
    if (attributes.isDirectory()) {
      return null;
    }
    String name = path.getFileName().toString();
    if (name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX)) {
      return null;
    }
    String relative = root.relativize(path).toString();
    ObjectKey key = ObjectKey.of(relative);
    return new ObjectInfo(
        key,
        attributes.size(),
        Optional.of(attributes.lastModifiedTime().toInstant()),
        Optional.empty(),
        ImmutableSet.of());
  }
}
