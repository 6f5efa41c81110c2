package io.influxbak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

/** The one-line error message keeps the reason a wrapped cause carries. */
class OneLineTest {
  @Test
  void wrappedPermissionError_namesItsType() {
    IOException wrapped =
        new IOException(
            "Cannot list node0/ in file:///srv/data: /srv/data/node0/wal",
            new AccessDeniedException("/srv/data/node0/wal"));

    assertThat(Influxbak.oneLine(wrapped))
        .isEqualTo(
            "Cannot list node0/ in file:///srv/data: /srv/data/node0/wal (AccessDeniedException)");
  }

  @Test
  void wrappedDiskFull_keepsTheObjectAndTheReason() {
    IOException wrapped =
        new IOException(
            "Cannot write b1/manifest.json", new IOException("No space left on device"));

    assertThat(Influxbak.oneLine(wrapped))
        .contains("b1/manifest.json")
        .contains("No space left on device");
  }

  @Test
  void causeWithReasonAlreadyInTheMessage_notRepeated() {
    IOException wrapped =
        new IOException(
            "Cannot copy x (x: is not a regular file)",
            new java.nio.file.FileSystemException("x", null, "is not a regular file"));

    assertThat(Influxbak.oneLine(wrapped)).isEqualTo("Cannot copy x (x: is not a regular file)");
  }

  @Test
  void causeAlreadyInTheMessage_notRepeated() {
    IOException cause = new IOException("connection reset");
    IOException wrapped = new IOException("Cannot read x: connection reset", cause);

    assertThat(Influxbak.oneLine(wrapped)).isEqualTo("Cannot read x: connection reset");
  }
}
