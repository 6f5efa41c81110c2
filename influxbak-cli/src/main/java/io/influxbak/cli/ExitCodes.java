package io.influxbak.cli;

/** The exit codes of {@code influxbak}, as the README documents them. */
public final class ExitCodes {
  /** The command did what it was asked. */
  public static final int SUCCESS = 0;

  /** Any other failure: the one-line message on stderr names the object and the reason. */
  public static final int FAILURE = 1;

  /** The command line was wrong (unknown option, missing argument, malformed URI). */
  public static final int USAGE = 2;

  /** A verify found missing, extra or corrupt objects. */
  public static final int VERIFY_FAILED = 3;

  /** A consistency check found the node or backup inconsistent. */
  public static final int INCONSISTENT = 4;

  /**
   * A lease stood in the way: another run holds one this command needs (nothing was changed), or
   * this run lost its own to another run after stalling past its expiry (it stopped; resume it).
   * The message names the holder.
   */
  public static final int LEASE = 5;

  /** The command was interrupted or cancelled; the backup or restore is not complete. */
  public static final int CANCELLED = 130;

  private ExitCodes() {}
}
