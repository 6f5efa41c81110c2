package io.influxbak.store.fs;

import java.nio.file.FileSystemException;

/**
 * A key maps to a path that the file-system store refuses to touch: it leaves the root, passes
 * through or ends in a symbolic link, or is not a regular file (a FIFO, socket, device or
 * directory). Nothing was read or written.
 */
public final class UnsafePathException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  /**
   * @param key the object key
   * @param reason why the path is refused
   */
  public UnsafePathException(String key, String reason) {
    super(key, null, reason);
  }
}
