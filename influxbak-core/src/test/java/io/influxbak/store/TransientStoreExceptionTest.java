package io.influxbak.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class TransientStoreExceptionTest {
  @Test
  void reasonOf_namesTimeoutsRefusalsAndUnknownHostsAnywhereInTheChain() {
    assertThat(
            TransientStoreException.reasonOf(
                new IllegalStateException("Timeout on blocking read", new TimeoutException())))
        .isEqualTo("timed out");
    assertThat(
            TransientStoreException.reasonOf(
                new RuntimeException(new IOException(new ConnectException("refused: /1.2.3.4")))))
        .isEqualTo("connection refused");
    assertThat(TransientStoreException.reasonOf(new UnknownHostException("host")))
        .isEqualTo("unknown host");
  }

  @Test
  void reasonOf_otherwiseGivesTheTypesAndNeverAMessage() {
    String reason =
        TransientStoreException.reasonOf(
            new RuntimeException(
                "GET https://a.blob.core.windows.net/c?sig=SECRET", new IOException("sig=SECRET")));

    assertThat(reason)
        .isEqualTo("no response (RuntimeException <- IOException)")
        .doesNotContain("SECRET");
  }
}
