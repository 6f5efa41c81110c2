package io.influxbak.store.fs;

import com.google.common.collect.ImmutableSet;
import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectChangedException;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.StoreId;
import io.influxbak.store.WriteMode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;

/**
 * How a staged file becomes an object, and what it is then: publishing by link or rename, the
 * versions of files, and the conditional changes built on them ({@link
 * FileSystemObjectStore#replaceIfVersion}, {@link FileSystemObjectStore#deleteIfVersion}) where a
 * file system has no compare-and-swap of its own.
 */
final class FileVersions {
  private FileVersions() {}

  /**
   * A file's version: its inode (where the file system has one), modification time and size. Every
   * write publishes a new file (a new inode, linked or renamed into place), and a rename keeps all
   * three, so a version moved aside is still recognised.
   */
  static String version(BasicFileAttributes attributes) {
    Object fileKey = attributes.fileKey();
    Instant modified = attributes.lastModifiedTime().toInstant();
    // One builder, no intermediate strings: a listing computes this for every file it shows.
    StringBuilder version = new StringBuilder(48);
    if (fileKey != null) {
      appendVersionChars(fileKey.toString(), version);
      version.append('@');
    }
    return version
        .append(modified.getEpochSecond())
        .append('.')
        .append(modified.getNano())
        .append('/')
        .append(attributes.size())
        .toString();
  }

  /** Appends {@code text} with only {@code [0-9a-z=,]} kept: a file key as "(dev=803,ino=1234)". */
  private static void appendVersionChars(String text, StringBuilder kept) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '=' || c == ',') {
        kept.append(c);
      }
    }
  }

  /** The object a temporary file becomes at {@code key}: same inode, time and size. */
  static ObjectInfo published(ObjectKey key, Path file) throws IOException {
    BasicFileAttributes attributes =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return new ObjectInfo(
        key,
        attributes.size(),
        Optional.of(attributes.lastModifiedTime().toInstant()),
        Optional.of(version(attributes)),
        ImmutableSet.of());
  }

  /**
   * Moves the object at {@code key} aside, only if it is at {@code expectedVersion}: a rename takes
   * it from every other writer at once, and the version of what was taken is checked after. Another
   * version taken by mistake is put back unless a newer object already took the key (whose writer
   * then sees its own condition fail, never two winners).
   */
  static void takeAside(
      StoreId id,
      ContainedPaths paths,
      ObjectKey key,
      Path target,
      Path aside,
      String expectedVersion)
      throws IOException {
    if (!paths.isContained(target.getParent()) || Files.isSymbolicLink(target)) {
      throw new ObjectChangedException(id, key, expectedVersion);
    }
    try {
      Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      throw new ObjectChangedException(id, key, expectedVersion);
    }
    BasicFileAttributes taken =
        Files.readAttributes(aside, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!version(taken).equals(expectedVersion)) {
      try {
        Files.createLink(target, aside);
      } catch (FileAlreadyExistsException newer) {
        // a writer created the key while it was aside: theirs stays, the one taken is dropped
      }
      throw new ObjectChangedException(id, key, expectedVersion);
    }
  }

  /**
   * Publishes the staged file {@code temp} at {@code target}: by link(2), which refuses an existing
   * target, in {@link WriteMode#CREATE_NEW}; by an atomic rename in {@link WriteMode#REPLACE} and
   * {@link WriteMode#REPLACE_IN_CLAIMED_ROOT}.
   */
  static void publish(
      StoreId id, SyncPolicy syncPolicy, ObjectKey key, Path temp, Path target, WriteMode mode)
      throws IOException {
    switch (mode) {
      case CREATE_NEW:
      case CREATE_IN_CLAIMED_ROOT:
        try {
          // link(2) fails with EEXIST if the target exists: an atomic create-if-absent.
          Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
          throw new ObjectAlreadyExistsException(id, key);
        } catch (UnsupportedOperationException | FileSystemException e) {
          if (e instanceof FileSystemException && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new ObjectAlreadyExistsException(id, key);
          }
          // File systems without hard links: a rename that refuses an existing target (not atomic
          // there).
          try {
            Files.move(temp, target);
          } catch (FileAlreadyExistsException exists) {
            throw new ObjectAlreadyExistsException(id, key);
          }
        }
        break;
      case REPLACE:
      case REPLACE_IN_CLAIMED_ROOT:
        if (Files.isSymbolicLink(target)) {
          throw new UnsafePathException(
              key.toString(), "is a symbolic link; refusing to replace it");
        }
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        break;
    }
    if (syncPolicy == SyncPolicy.FSYNC) {
      fsyncDirectory(target.getParent());
    }
  }

  static void fsyncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
