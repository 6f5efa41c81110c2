package io.influxbak.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a standard stream is a terminal, which Java 17 can tell only for stdin and stdout. */
final class Terminal {
  private Terminal() {}

  /**
   * Whether stderr is a terminal: on Linux, where {@code /proc/self/fd/2} points (a pty or tty);
   * elsewhere, whether the JVM has a console (stdin and stdout are terminals), the nearest guess.
   */
  static boolean stderrIsTerminal() {
    Path fd = Path.of("/proc/self/fd/2");
    if (Files.isSymbolicLink(fd)) {
      try {
        String target = Files.readSymbolicLink(fd).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      } catch (IOException | UnsupportedOperationException | SecurityException e) {
        return false;
      }
    }
    return System.console() != null;
  }
}
