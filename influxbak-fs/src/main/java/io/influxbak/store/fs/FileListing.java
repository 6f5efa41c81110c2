package io.influxbak.store.fs;

import com.google.common.collect.ImmutableSet;
import io.influxbak.store.KeyLevel;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.StoreId;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
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

  /**
   * Where a listed file's key starts in its path's text: every path listed is {@code root} resolved
   * with the names read from its directories, so its text is the root's, a slash, then the key
   * (cheaper than {@code root.relativize(path)} per file in a listing of millions).
   */
  private final int keyStart;

  private final StoreId id;

  FileListing(Path root, StoreId id) {
    this.root = root;
    String rootText = root.toString();
    this.keyStart = rootText.endsWith("/") ? rootText.length() : rootText.length() + 1;
    this.id = id;
  }

  /**
   * Every object under {@code start}, the directory of {@code prefix}, walked lazily, depth first.
   * A file or directory deleted while the walk runs is left out, as the server deleting it (a live
   * node deletes in bursts: WAL after a snapshot, table snapshots as they merge); any other failure
   * names the path and the reason.
   */
  ObjectIterator walk(KeyPrefix prefix, Path start) {
    FileWalk files = new FileWalk(prefix, start);
    return new ObjectIterator() {
      private ObjectInfo next;

      @Override
      public boolean hasNext() throws IOException {
        while (next == null && files.advance()) {
          next = object(files.path(), files.attributes());
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
        files.close();
      }
    };
  }

  /**
   * The temporary files under {@code start} that a process no longer running left (killed while
   * writing): their names carry the writer's process id; a name without one is from an older
   * influxbak and left behind too.
   */
  List<ObjectKey> incompleteWrites(KeyPrefix prefix, Path start) throws IOException {
    List<ObjectKey> leftovers = new ArrayList<>();
    FileWalk files = new FileWalk(prefix, start);
    while (files.advance()) {
      String name = files.path().getFileName().toString();
      if (isTemporary(name, 0) && !writerAlive(name)) {
        leftovers.add(ObjectKey.of(root.relativize(files.path()).toString()));
      }
    }
    return leftovers;
  }

  /** The name of a new temporary file of this process, unique with {@code stem} and {@code n}. */
  static String temporaryName(String stem, long n) {
    return TEMP_PREFIX + ProcessHandle.current().pid() + "-" + stem + "-" + n + TEMP_SUFFIX;
  }

  /** Whether the file name starting at {@code nameStart} of {@code text} is a temporary file's. */
  private static boolean isTemporary(String text, int nameStart) {
    return text.startsWith(TEMP_PREFIX, nameStart) && text.endsWith(TEMP_SUFFIX);
  }

  /** Whether the process named in a temporary file's name still runs. */
  private static boolean writerAlive(String name) {
    String rest = name.substring(TEMP_PREFIX.length());
    int dash = rest.indexOf('-');
    if (dash <= 0) {
      return false;
    }
    try {
      long pid = Long.parseLong(rest.substring(0, dash));
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false; // an older influxbak's name, without a process id
    }
  }

  /** The files under a directory, depth first, leaving out what is deleted while it walks. */
  private final class FileWalk {
    private final KeyPrefix prefix;
    private final Deque<Iterator<Path>> pending = new ArrayDeque<>();
    private Path path;
    private BasicFileAttributes attributes;

    FileWalk(KeyPrefix prefix, Path start) {
      this.prefix = prefix;
      pending.push(List.of(start).iterator());
    }

    /** Moves to the next file; false at the end. */
    boolean advance() throws IOException {
      while (!pending.isEmpty()) {
        Iterator<Path> entries = pending.peek();
        if (!entries.hasNext()) {
          pending.pop();
          continue;
        }
        Path candidate = entries.next();
        try {
          BasicFileAttributes read =
              Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (read.isDirectory()) {
            pending.push(children(candidate).iterator());
            continue;
          }
          path = candidate;
          attributes = read;
          return true;
        } catch (NoSuchFileException e) {
          // deleted since its directory was read: the server deleted it
        } catch (IOException e) {
          throw new IOException("Cannot list " + prefix + " in " + id + ": " + e.getMessage(), e);
        }
      }
      return false;
    }

    Path path() {
      return path;
    }

    BasicFileAttributes attributes() {
      return attributes;
    }

    void close() {
      pending.clear();
    }
  }

  /** The entries of {@code directory}; none if it was deleted meanwhile. */
  private static List<Path> children(Path directory) throws IOException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      entries.forEach(children::add);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of(); // deleted (or replaced) while the walk ran
    } catch (DirectoryIteratorException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return children;
      }
      throw e.getCause();
    }
    return children;
  }

  /**
   * One level under {@code start}, the directory of {@code prefix}: its files as objects, its
   * directories (never a link) as prefixes, leaving out what is deleted meanwhile.
   */
  KeyLevel level(KeyPrefix prefix, Path start) throws IOException {
    List<ObjectInfo> objects = new ArrayList<>();
    Set<KeyPrefix> prefixes = new HashSet<>();
    for (Path entry : children(start)) {
      BasicFileAttributes attributes;
      try {
        attributes =
            Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        continue; // deleted since the directory was read
      } catch (IOException e) {
        throw new IOException("Cannot list " + prefix + " in " + id + ": " + e.getMessage(), e);
      }
      if (attributes.isDirectory()) {
        prefixes.add(prefix.resolvePrefix(entry.getFileName().toString()));
      } else {
        ObjectInfo object = object(entry, attributes);
        if (object != null) {
          objects.add(object);
        }
      }
    }
    return new KeyLevel(objects, prefixes);
  }

  /** Whether {@code directory} holds an object somewhere below it. */
  boolean holdsAnObject(KeyPrefix prefix, Path directory) throws IOException {
    try (ObjectIterator objects = walk(prefix, directory)) {
      return objects.hasNext();
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
    return attributes.isDirectory() ? null : object(path, attributes);
  }

  /** The object a file is, or null for this store's temporary files. */
  @Nullable
  private ObjectInfo object(Path path, BasicFileAttributes attributes) {
    String text = path.toString();
    // the name checked in the path's text, which the key needs anyway (no name path per file)
    if (isTemporary(text, text.lastIndexOf('/') + 1)) {
      return null;
    }
    return new ObjectInfo(
        ObjectKey.of(text.substring(keyStart)),
        attributes.size(),
        Optional.of(attributes.lastModifiedTime().toInstant()),
        Optional.of(FileVersions.version(attributes)),
        ImmutableSet.of());
  }
}
