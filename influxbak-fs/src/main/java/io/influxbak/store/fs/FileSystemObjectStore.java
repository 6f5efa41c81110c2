package io.influxbak.store.fs;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import io.influxbak.store.KeyLevel;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectChangedException;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.StoreId;
import io.influxbak.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.concurrent.ThreadSafe;

/**
 * An {@link ObjectStore} over a local directory: key {@code a/b/c} is the file {@code
 * <root>/a/b/c}.
 *
 * <p>Writes go to a hidden temporary file ({@code .influxbak-<uuid>.tmp}) in the target's
 * directory, are fsynced (per {@link SyncPolicy}), then published: {@link WriteMode#CREATE_NEW} by
 * a hard link, which fails atomically if the target exists, {@link WriteMode#REPLACE} by an atomic
 * rename; then the directory is fsynced. Nobody ever sees a half-written object. Listings skip
 * those temporary files. {@link WriteMode#CREATE_IN_CLAIMED_ROOT} creates the file in place instead
 * (see {@link FileWrites}); the directories of such files are fsynced before the next write, delete
 * or {@link #close} that is not itself in place.
 *
 * <p>Every key is resolved under the root and its directory checked with its real path, so neither
 * a key nor a symbolic link inside the tree can lead outside the root. Symbolic links are listed
 * (so that a backup reports them) but never read or written through: {@link UnsafePathException}.
 * Data streams through a fixed buffer; nothing loads a whole object into memory.
 */
@ThreadSafe
public final class FileSystemObjectStore implements ObjectStore {
  private final Path root;
  private final SyncPolicy syncPolicy;
  private final StoreId id;
  private final ContainedPaths paths;
  private final FileListing listing;

  private final FileWrites writes;

  private FileSystemObjectStore(
      Path root, SyncPolicy syncPolicy, Optional<ContainedPaths.Ownership> ownership) {
    this.root = root;
    this.syncPolicy = syncPolicy;
    this.id = new StoreId("file", root.toString(), "");
    this.paths = new ContainedPaths(root, id, ownership);
    this.listing = new FileListing(root, id);
    this.writes = new FileWrites(id, syncPolicy, paths);
  }

  /**
   * Opens a store over an existing directory with {@link SyncPolicy#FSYNC}.
   *
   * @throws NoSuchFileException if the directory does not exist
   */
  public static FileSystemObjectStore open(Path root) throws IOException {
    return open(root, SyncPolicy.FSYNC);
  }

  /**
   * Opens a store over an existing directory.
   *
   * @throws NoSuchFileException if the directory does not exist
   * @throws java.nio.file.NotDirectoryException if it is not a directory
   */
  public static FileSystemObjectStore open(Path root, SyncPolicy syncPolicy) throws IOException {
    requireNonNull(root, "root is null");
    requireNonNull(syncPolicy, "syncPolicy is null");
    Path real;
    try {
      real = root.toRealPath();
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(
          root.toString(), null, "the store's directory does not exist (create it first)");
    }
    if (!Files.isDirectory(real)) {
      throw new java.nio.file.NotDirectoryException(root.toString());
    }
    return new FileSystemObjectStore(real, syncPolicy, Optional.empty());
  }

  /**
   * The same store, giving every file and directory it creates from now on this owner and group
   * (user and group names or numeric ids), as the InfluxDB docs' {@code chown} step does for a
   * server that runs as another user (Docker volumes). Needs the privilege to change ownership.
   *
   * @throws java.nio.file.attribute.UserPrincipalNotFoundException if the user or group does not
   *     exist
   */
  public FileSystemObjectStore withOwnership(String owner, String group) throws IOException {
    UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal user;
    GroupPrincipal members;
    try {
      user = lookup.lookupPrincipalByName(owner);
    } catch (UserPrincipalNotFoundException e) {
      throw notFound("user", owner, e);
    }
    try {
      members = lookup.lookupPrincipalByGroupName(group);
    } catch (UserPrincipalNotFoundException e) {
      throw notFound("group", group, e);
    }
    return new FileSystemObjectStore(
        root, syncPolicy, Optional.of(new ContainedPaths.Ownership(user, members)));
  }

  /** The lookup's failure, whose message is empty, as one that names the setting and the name. */
  private UserPrincipalNotFoundException notFound(
      String what, String name, UserPrincipalNotFoundException cause) {
    return new UserPrincipalNotFoundException(name) {
      @Override
      public String getMessage() {
        return "fs.owner for " + root + ": no " + what + " named '" + cause.getName() + "' here";
      }
    };
  }

  /** The root directory (its real path). */
  public Path root() {
    return root;
  }

  @Override
  public StoreId id() {
    return id;
  }

  @Override
  public StoreCapabilities capabilities() {
    // No native checksums; copies run in the kernel (copy_file_range/sendfile), not through the JVM
    // heap.
    return new StoreCapabilities(ImmutableSet.of(), ImmutableSet.of(), true);
  }

  @Override
  public ObjectIterator list(KeyPrefix prefix) throws IOException {
    Optional<Path> start = directory(prefix);
    return start.isEmpty() ? ObjectIterator.empty() : listing.walk(prefix, start.get());
  }

  /** The directory of {@code prefix}, if it is one inside the root (reached through no link). */
  private Optional<Path> directory(KeyPrefix prefix) throws IOException {
    Path start = prefix.isRoot() ? root : root.resolve(prefix.toString());
    if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)
        || (!prefix.isRoot() && !paths.isContained(start.getParent()))) {
      return Optional.empty();
    }
    return Optional.of(start);
  }

  /** A directory's files and subdirectories (an empty subdirectory among them). */
  @Override
  public KeyLevel listLevel(KeyPrefix prefix) throws IOException {
    Optional<Path> start = directory(prefix);
    return start.isEmpty() ? new KeyLevel(List.of(), Set.of()) : listing.level(prefix, start.get());
  }

  /** The temporary files under {@code prefix} of writers that were killed. */
  @Override
  public List<ObjectKey> incompleteWrites(KeyPrefix prefix) throws IOException {
    Optional<Path> start = directory(prefix);
    return start.isEmpty() ? List.of() : listing.incompleteWrites(prefix, start.get());
  }

  /**
   * The directories directly under the prefix that hold at least one object (an empty directory is
   * no prefix).
   */
  @Override
  public Set<KeyPrefix> childPrefixes(KeyPrefix prefix) throws IOException {
    Optional<Path> start = directory(prefix);
    if (start.isEmpty()) {
      return ImmutableSet.of();
    }
    ImmutableSet.Builder<KeyPrefix> children = ImmutableSet.builder();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(start.get())) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
            && listing.holdsAnObject(prefix, entry)) {
          children.add(prefix.resolvePrefix(entry.getFileName().toString()));
        }
      }
    } catch (NoSuchFileException e) {
      return ImmutableSet.of();
    }
    return children.build();
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
    Path path = paths.resolve(key);
    Path directory = path.getParent();
    if (!paths.checkedOnce(
        directory,
        () -> paths.isContained(directory) && paths.firstSymbolicLink(directory).isEmpty())) {
      return Optional.empty(); // as the listing, which never descends through a link
    }
    try {
      return Optional.ofNullable(listing.listed(path));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    return new ChannelInput(openChannel(key));
  }

  /** Opens a contained, regular, non-link file for reading, with the typed errors. */
  private FileChannel openChannel(ObjectKey key) throws IOException {
    Path path = paths.resolve(key);
    Path directory = path.getParent();
    paths.checkedOnce(
        directory,
        () -> {
          paths.requireReachable(key, directory);
          return true;
        });
    paths.requireRegularFile(key, path);
    try {
      // O_NOFOLLOW: a link put in place after the check still cannot be followed.
      return FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(id, key);
    } catch (FileSystemException e) {
      if (Files.isSymbolicLink(path)) {
        throw new UnsafePathException(
            key.toString(), "is a symbolic link; the store never follows links");
      }
      throw e;
    }
  }

  @Override
  public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
    return writes.write(key, content, paths.resolve(key), mode);
  }

  @Override
  public ObjectInfo replaceIfVersion(ObjectKey key, ObjectContent content, String expectedVersion)
      throws IOException {
    Path target = paths.resolve(key);
    if (stat(key).flatMap(ObjectInfo::etag).filter(expectedVersion::equals).isEmpty()) {
      throw new ObjectChangedException(id, key, expectedVersion); // cheap early answer
    }
    Path directory = paths.createDirectories(key, target.getParent());
    writes.syncDirectories();
    Path temp = writes.tempIn(directory);
    Path aside = writes.tempIn(directory);
    try {
      ObjectInfo staged = writes.stage(key, content, temp);
      FileVersions.takeAside(id, paths, key, target, aside, expectedVersion);
      try {
        Files.createLink(target, temp);
      } catch (FileAlreadyExistsException e) {
        throw new ObjectChangedException(id, key, expectedVersion); // created since: theirs
      }
      if (syncPolicy == SyncPolicy.FSYNC) {
        FileVersions.fsyncDirectory(directory);
      }
      return staged;
    } finally {
      Files.deleteIfExists(temp);
      Files.deleteIfExists(aside);
    }
  }

  @Override
  public void deleteIfVersion(ObjectKey key, String expectedVersion) throws IOException {
    Path target = paths.resolve(key);
    writes.syncDirectories();
    if (stat(key).flatMap(ObjectInfo::etag).filter(expectedVersion::equals).isEmpty()) {
      throw new ObjectChangedException(id, key, expectedVersion);
    }
    Path aside = writes.tempIn(target.getParent());
    try {
      FileVersions.takeAside(id, paths, key, target, aside, expectedVersion);
    } finally {
      Files.deleteIfExists(aside);
    }
    paths.removeEmptyDirectories(target.getParent());
  }

  @Override
  public ObjectInfo copy(ObjectKey source, ObjectKey target, WriteMode mode) throws IOException {
    Path sourcePath = paths.checkedExisting(source);
    Path targetPath = paths.resolve(target);
    Path directory = paths.createDirectories(target, targetPath.getParent());
    if (mode != WriteMode.CREATE_IN_CLAIMED_ROOT) {
      writes.syncDirectories();
    }
    Path temp = writes.tempIn(directory);
    try {
      try {
        Files.copy(sourcePath, temp, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        throw new ObjectNotFoundException(id, source);
      } catch (IOException e) {
        throw StoreFailure.writing(id, target, e);
      }
      if (syncPolicy == SyncPolicy.FSYNC) {
        StoreFailure.writing(
            id,
            target,
            () -> {
              try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
              }
            });
      }
      paths.applyOwnership(temp);
      ObjectInfo copied = FileVersions.published(target, temp);
      StoreFailure.writing(
          id, target, () -> FileVersions.publish(id, syncPolicy, target, temp, targetPath, mode));
      return copied;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    // A delete can publish too (a restore's marker, removed once every object is in place): the
    // objects created in place before it are made durable first.
    writes.syncDirectories();
    Path path = paths.resolve(key);
    if (!paths.isContained(path.getParent())) {
      return;
    }
    if (Files.deleteIfExists(path)) {
      paths.removeEmptyDirectories(path.getParent());
    }
  }

  /**
   * Makes the objects created in place durable (their directories fsynced), for a writer whose last
   * change was one of them (an engine task's copies); fails with {@link UncheckedIOException} if a
   * directory does not sync.
   */
  @Override
  public void close() {
    try {
      writes.syncDirectories();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot sync the directories of objects written in place under " + root, e);
    }
  }

  /** Whether objects created in place wait for their directories' sync (for tests). */
  boolean hasUnsyncedDirectories() {
    return writes.hasUnsyncedDirectories();
  }

  @Override
  public String toString() {
    return "FileSystemObjectStore[" + root + "]";
  }
}
