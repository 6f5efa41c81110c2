package io.influxbak.store.fs;

import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.StoreId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/**
 * The failure of a file-system write, named: the JDK says "No space left on device" with no path,
 * and an {@link AccessDeniedException}'s message is only the path, without the reason.
 */
final class StoreFailure {
  private StoreFailure() {}

  /** A step of a write that may fail. */
  interface Step {
    void run() throws IOException;
  }

  /** The opening of a file written to. */
  interface Opening {
    FileChannel open() throws IOException;
  }

  /** Runs a step of writing {@code key}, its failure named as one (disk full, permission). */
  static void writing(StoreId store, ObjectKey key, Step step) throws IOException {
    try {
      step.run();
    } catch (IOException e) {
      throw writing(store, key, e);
    }
  }

  /** Opens a file written to for {@code key}, its failure named as one. */
  static FileChannel opening(StoreId store, ObjectKey key, Opening opening) throws IOException {
    try {
      return opening.open();
    } catch (IOException e) {
      throw writing(store, key, e);
    }
  }

  /**
   * {@code failure} of writing {@code key}, as an exception naming the object, the store and the
   * reason; the store's own typed errors (object exists, not found, unsafe path) pass unchanged.
   */
  static IOException writing(StoreId store, ObjectKey key, IOException failure) {
    if (failure instanceof ObjectAlreadyExistsException
        || failure instanceof ObjectNotFoundException
        || failure instanceof UnsafePathException
        || !(failure instanceof FileSystemException || failure.getClass() == IOException.class)) {
      return failure;
    }
    return new IOException(
        "Cannot write " + key + " in " + store + ": " + reason(failure), failure);
  }

  private static String reason(IOException failure) {
    if (failure instanceof AccessDeniedException denied) {
      return "permission denied on " + denied.getFile();
    }
    if (failure instanceof FileSystemException files) {
      String reason =
          files.getReason() == null ? files.getClass().getSimpleName() : files.getReason();
      return reason + " (" + files.getFile() + ")";
    }
    return String.valueOf(failure.getMessage());
  }
}
