package io.influxbak.transfer;

import static java.util.Objects.requireNonNull;

/**
 * The cause of an object's failure when its copy thread ended with an {@link Error} while copying
 * it (out of memory, a killed executor): the attempt failed, not the object. A local run fails
 * naming the object; a {@link io.influxbak.task.CopyTask} gives the attempt up so that its engine
 * runs the task again.
 */
public final class CopyThreadDiedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Wraps {@code error}, the {@link Error} the copy thread ended with. */
  public CopyThreadDiedException(Error error) {
    super("the copy thread ended with " + requireNonNull(error, "error is null"), error);
  }
}
