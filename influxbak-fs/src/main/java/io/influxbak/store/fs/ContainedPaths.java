package io.influxbak.store.fs;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.util.concurrent.Striped;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.StoreId;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;

/**
 * The paths of a file-system store, held inside its root: keys resolve under it, directories are
 * created walking down from it through no symbolic link, existing files are reached through no
 * link, and every directory checked once is remembered. Created files and directories get the
 * store's owner and group, when it has them.
 */
final class ContainedPaths {
  /**
   * The owner and group given to everything a store creates (the docs' chown for Docker volumes).
   */
  record Ownership(UserPrincipal owner, GroupPrincipal group) {}

  private final Path root;
  private final StoreId id;
  private final Optional<Ownership> ownership;

  /** Directories checked to be real directories inside the root (not links): checked once. */
  private final Set<Path> checkedDirectories = ConcurrentHashMap.newKeySet();

  private final Striped<Lock> directoryLocks = Striped.lock(64);

  ContainedPaths(Path root, StoreId id, Optional<Ownership> ownership) {
    this.root = root;
    this.id = id;
    this.ownership = ownership;
  }

  /**
   * Whether {@code directory} passes {@code check}, run once: a pass is remembered, and callers
   * asking for the same directory meanwhile wait for the first one's answer instead of walking the
   * path again (a backup's copy threads start on the files of one directory at once; without the
   * wait, most of them each walked it).
   */
  boolean checkedOnce(Path directory, DirectoryCheck check) throws IOException {
    if (checkedDirectories.contains(directory)) {
      return true;
    }
    Lock lock = directoryLocks.get(directory);
    lock.lock();
    try {
      if (checkedDirectories.contains(directory)) {
        return true;
      }
      boolean passed = check.passes();
      if (passed) {
        checkedDirectories.add(directory);
      }
      return passed;
    } finally {
      lock.unlock();
    }
  }

  /** A check of one directory: whether it is a real directory inside the root. */
  @FunctionalInterface
  interface DirectoryCheck {
    boolean passes() throws IOException;
  }

  /** Forgets {@code directory} (it was removed meanwhile). */
  void forget(Path directory) {
    checkedDirectories.remove(directory);
  }

  /** The path of {@code key}, refused if it would lie outside the root. */
  Path resolve(ObjectKey key) throws UnsafePathException {
    Path path = root.resolve(key.toString()).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new UnsafePathException(key.toString(), "resolves outside the store root " + root);
    }
    return path;
  }

  /** The path of an existing, regular, contained file; the typed error otherwise. */
  Path checkedExisting(ObjectKey key) throws IOException {
    Path path = resolve(key);
    requireReachable(key, path.getParent());
    requireRegularFile(key, path);
    return path;
  }

  /**
   * Refuses a key whose {@code directory} is reached through a symbolic link or lies outside the
   * root.
   *
   * @throws UnsafePathException naming the key and the link
   * @throws ObjectNotFoundException if the directory is not inside the root (or not there)
   */
  void requireReachable(ObjectKey key, Path directory) throws IOException {
    // Even a link that points back inside the root is refused: list never descends into one, so
    // reading through it would give a second verdict on the same key.
    Optional<Path> link = firstSymbolicLink(directory);
    if (link.isPresent()) {
      throw new UnsafePathException(
          key.toString(), "passes through the symbolic link " + root.relativize(link.get()));
    }
    if (!isContained(directory)) {
      throw new ObjectNotFoundException(id, key);
    }
  }

  /**
   * Refuses what is not a regular file, before it is opened: opening a FIFO for reading blocks
   * until a writer comes, and a socket, device or directory holds no object.
   *
   * @throws ObjectNotFoundException if nothing is there
   * @throws UnsafePathException naming the key and what the path is instead
   */
  void requireRegularFile(ObjectKey key, Path path) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(id, key);
    }
    if (attributes.isSymbolicLink()) {
      throw new UnsafePathException(
          key.toString(), "is a symbolic link; the store never follows links");
    }
    if (attributes.isDirectory()) {
      throw new UnsafePathException(key.toString(), "is a directory, not a file");
    }
    if (!attributes.isRegularFile()) {
      throw new UnsafePathException(
          key.toString(),
          "is not a regular file (a FIFO, socket or device); the store reads only regular files");
    }
  }

  /** Whether a directory's real path lies inside the root (false if it does not exist). */
  boolean isContained(Path directory) throws IOException {
    try {
      return directory.toRealPath().startsWith(root);
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** The first symbolic link on the way from the root down to {@code directory}, if any. */
  Optional<Path> firstSymbolicLink(Path directory) {
    Path current = root;
    for (Path part : root.relativize(directory)) {
      current = current.resolve(part);
      if (Files.isSymbolicLink(current)) {
        return Optional.of(current);
      }
    }
    return Optional.empty();
  }

  /**
   * Creates {@code directory} and its parents inside the root, through no symbolic link: walking
   * down from the nearest directory already checked, each existing step must be a real directory.
   */
  Path createDirectories(ObjectKey key, Path directory) throws IOException {
    checkArgument(directory.startsWith(root), "directory outside root");
    if (checkedDirectories.contains(directory)) {
      return directory;
    }
    Path current = directory;
    while (!current.equals(root) && !checkedDirectories.contains(current)) {
      current = current.getParent();
    }
    for (Path part : current.relativize(directory)) {
      current = current.resolve(part);
      try {
        Files.createDirectory(current);
        applyOwnership(current);
      } catch (FileAlreadyExistsException e) {
        if (Files.isSymbolicLink(current)) {
          throw new UnsafePathException(
              key.toString(), "passes through the symbolic link " + root.relativize(current));
        }
        if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
          throw new UnsafePathException(
              key.toString(), root.relativize(current) + " exists and is not a directory");
        }
      }
      checkedDirectories.add(current);
    }
    return directory;
  }

  /** Removes {@code directory} and its parents, up to the root, while they are empty. */
  void removeEmptyDirectories(Path directory) throws IOException {
    Path current = directory;
    while (current != null && current.startsWith(root) && !current.equals(root)) {
      try {
        checkedDirectories.remove(current);
        Files.delete(current);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      }
      current = current.getParent();
    }
  }

  /** Gives {@code path} the store's owner and group, if it has them. */
  void applyOwnership(Path path) throws IOException {
    if (ownership.isPresent()) {
      PosixFileAttributeView view =
          Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      view.setOwner(ownership.get().owner());
      view.setGroup(ownership.get().group());
    }
  }
}
