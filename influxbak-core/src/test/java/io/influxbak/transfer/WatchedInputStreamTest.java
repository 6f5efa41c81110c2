package io.influxbak.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WatchedInputStreamTest {

  @Test
  void longRead_reportedEveryFewMiBAndAtTheEnd() throws IOException {
    int size = (int) (2 * WatchedInputStream.REPORT_EVERY + 1234);
    List<Long> reports = new ArrayList<>();
    try (InputStream in =
        new WatchedInputStream(new ByteArrayInputStream(new byte[size]), () -> {}, reports::add)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    assertThat(reports).hasSizeGreaterThanOrEqualTo(3);
    assertThat(reports.stream().mapToLong(Long::longValue).sum()).isEqualTo(size);
    assertThat(reports.subList(0, 2)).allMatch(r -> r >= WatchedInputStream.REPORT_EVERY);
  }

  @Test
  void closedEarly_reportsWhatWasRead() throws IOException {
    List<Long> reports = new ArrayList<>();
    try (InputStream in =
        new WatchedInputStream(new ByteArrayInputStream(new byte[100]), () -> {}, reports::add)) {
      assertThat(in.read(new byte[40])).isEqualTo(40);
      assertThat(in.read()).isZero();
    }
    assertThat(reports).containsExactly(41L);
  }

  @Test
  void checkpointThatThrows_failsTheNextRead() throws IOException {
    AtomicBoolean stop = new AtomicBoolean();
    InputStream in =
        new WatchedInputStream(
            new ByteArrayInputStream(new byte[100]),
            () -> {
              if (stop.get()) {
                throw new OperationCancelledException("test");
              }
            },
            bytes -> {});
    assertThat(in.read()).isZero();
    stop.set(true);
    assertThatThrownBy(() -> in.read(new byte[10])).isInstanceOf(OperationCancelledException.class);
  }
}
