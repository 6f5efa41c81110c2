package io.influxbak.store.fs;

import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.StoreId;
import io.influxbak.store.WriteCheck;
import io.influxbak.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;

/**
 * How a file-system store writes: staged in a hidden temporary file, synced, then published whole
 * (by link or rename, see {@link FileVersions#publish}); or, for {@link
 * WriteMode#CREATE_IN_CLAIMED_ROOT}, created in place under its final name, which refuses an
 * existing file as a link does, and removed again if the write fails, unless another writer's file
 * has taken the name since. {@link WriteMode#REPLACE_IN_CLAIMED_ROOT} creates in place too, and
 * stages only when a file is there. The directory entries of objects created in place are synced
 * together before the next change that publishes them (a journal chunk or manifest naming them, a
 * restore marker's delete, the store's close), not one directory sync per object.
 */
final class FileWrites {
  private final StoreId id;
  private final SyncPolicy syncPolicy;
  private final ContainedPaths paths;

  /** Unique temporary names without the cost of a random UUID per write. */
  private final String tempStem = Long.toHexString(ThreadLocalRandom.current().nextLong());

  private final AtomicLong tempCounter = new AtomicLong();

  /** Directories with entries created in place and not yet synced. */
  private final Set<Path> unsyncedDirectories = ConcurrentHashMap.newKeySet();

  FileWrites(StoreId id, SyncPolicy syncPolicy, ContainedPaths paths) {
    this.id = id;
    this.syncPolicy = syncPolicy;
    this.paths = paths;
  }

  /** Writes {@code content} at {@code target}, the path of {@code key}. */
  ObjectInfo write(ObjectKey key, ObjectContent content, Path target, WriteMode mode)
      throws IOException {
    Path directory = paths.createDirectories(key, target.getParent());
    if (mode == WriteMode.CREATE_IN_CLAIMED_ROOT) {
      return createInPlace(key, content, target);
    }
    if (mode == WriteMode.REPLACE_IN_CLAIMED_ROOT) {
      try {
        return createInPlace(key, content, target);
      } catch (ObjectAlreadyExistsException leftover) {
        // what an interrupted run left (refused before its content was opened): replaced whole
      }
    }
    syncDirectories();
    Path temp = directory.resolve(tempName());
    try {
      ObjectInfo staged = stage(key, content, temp);
      StoreFailure.writing(
          id, key, () -> FileVersions.publish(id, syncPolicy, key, temp, target, mode));
      return staged;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Whether objects created in place wait for their directories' sync. */
  boolean hasUnsyncedDirectories() {
    return !unsyncedDirectories.isEmpty();
  }

  /** A new temporary file name in {@code directory}. */
  Path tempIn(Path directory) {
    return directory.resolve(tempName());
  }

  /**
   * Syncs the directories of objects created in place, so that a write published after them (the
   * journal chunk or manifest that names them) never outlives them in a crash.
   */
  void syncDirectories() throws IOException {
    if (syncPolicy != SyncPolicy.FSYNC) {
      return;
    }
    for (Iterator<Path> it = unsyncedDirectories.iterator(); it.hasNext(); ) {
      Path directory = it.next();
      it.remove();
      try {
        FileVersions.fsyncDirectory(directory);
      } catch (NoSuchFileException e) {
        // removed since (a failed run cleaned up): nothing left to make durable
      }
    }
  }

  private ObjectInfo createInPlace(ObjectKey key, ObjectContent content, Path target)
      throws IOException {
    WriteCheck check = WriteCheck.ofDeclared(id, key, content);
    // O_CREAT|O_EXCL: refuses an existing file, or a link in its place, atomically as link(2) does.
    FileChannel created = StoreFailure.opening(id, key, () -> createFile(key, target));
    // The file this write created, so that a failure removes that file only: another writer may
    // have put its own under the name meanwhile (an engine task's later attempt while this one
    // still runs, a resume that took over a stalled run's lease), and that one is whole.
    Object createdFile = null;
    boolean complete = false;
    try (FileChannel out = created) {
      try {
        createdFile = identity(target);
      } catch (IOException e) {
        throw StoreFailure.writing(id, key, e);
      }
      try (InputStream in = content.openStream()) {
        transfer(key, in, out, check);
      }
      if (syncPolicy == SyncPolicy.FSYNC) {
        StoreFailure.writing(id, key, () -> out.force(true));
      }
      check.complete();
      complete = true;
    } finally {
      if (!complete) {
        removeIfStill(target, createdFile);
      }
    }
    paths.applyOwnership(target);
    if (syncPolicy == SyncPolicy.FSYNC) {
      unsyncedDirectories.add(target.getParent());
    }
    return FileVersions.published(key, target);
  }

  /** The file at {@code path} as the file system tells files apart (its inode), if it does. */
  @Nullable
  private static Object identity(Path path) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }

  /**
   * Removes the partial file a failed write created at {@code target}, if {@code target} still is
   * that file; where that is not known ({@code created} null: a file system without file
   * identities, or the file not yet identified), whatever is there.
   */
  private static void removeIfStill(Path target, @Nullable Object created) throws IOException {
    try {
      if (created == null || created.equals(identity(target))) {
        Files.deleteIfExists(target);
      }
    } catch (NoSuchFileException gone) {
      // removed already: nothing of this write is left
    }
  }

  private FileChannel createFile(ObjectKey key, Path target) throws IOException {
    try {
      return create(key, target);
    } catch (FileAlreadyExistsException e) {
      throw new ObjectAlreadyExistsException(id, key);
    }
  }

  /**
   * Writes {@code content} to the temporary file {@code temp}, checked and synced, and returns the
   * object it will be once published (a link or rename keeps its version).
   */
  ObjectInfo stage(ObjectKey key, ObjectContent content, Path temp) throws IOException {
    WriteCheck check = WriteCheck.ofDeclared(id, key, content);
    try (FileChannel out = StoreFailure.opening(id, key, () -> create(key, temp));
        InputStream in = content.openStream()) {
      transfer(key, in, out, check);
      if (syncPolicy == SyncPolicy.FSYNC) {
        StoreFailure.writing(id, key, () -> out.force(true));
      }
    }
    check.complete();
    paths.applyOwnership(temp);
    return FileVersions.published(key, temp);
  }

  /** Creates {@code file}; re-creates its directory once if a concurrent delete removed it. */
  private FileChannel create(ObjectKey key, Path file) throws IOException {
    try {
      return open(file);
    } catch (NoSuchFileException e) {
      paths.forget(file.getParent());
      paths.createDirectories(key, file.getParent());
      return open(file);
    }
  }

  private static FileChannel open(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
  }

  private String tempName() {
    return FileListing.temporaryName(tempStem, tempCounter.incrementAndGet());
  }

  private void transfer(ObjectKey key, InputStream in, FileChannel out, WriteCheck check)
      throws IOException {
    byte[] array = AlignedBuffers.array();
    ByteBuffer direct = AlignedBuffers.direct();
    int n;
    while ((n = in.readNBytes(array, 0, array.length)) > 0) {
      check.update(array, 0, n);
      direct.clear().put(array, 0, n).flip();
      try {
        while (direct.hasRemaining()) {
          out.write(direct);
        }
      } catch (IOException e) {
        throw StoreFailure.writing(id, key, e); // a read failure of the content passes as it is
      }
      if (n < array.length) {
        break; // readNBytes returns fewer bytes only at end of stream
      }
    }
  }
}
