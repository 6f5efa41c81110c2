package io.influxbak.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.TransientStoreException;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.RetryPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An endpoint that accepts connections and never answers: with the default settings a listing and a
 * HEAD fail within 30 s, the SDK's attempts and core's retries included, with a message naming the
 * store and the timeout (before, one listing took 152 s).
 */
class DeadEndpointTest {
  @Test
  void listAndStat_deadEndpoint_failWithinThirtySecondsWithDefaults() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket dead = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!dead.isClosed()) {
                  try {
                    held.add(dead.accept()); // accepted, never answered
                  } catch (IOException closed) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Map<String, String> settings =
          Map.of(
              "s3.endpoint", "http://127.0.0.1:" + dead.getLocalPort(),
              "s3.access-key-id", "key",
              "s3.secret-access-key", "secret");
      try (ObjectStore store = new S3StoreProvider().open(URI.create("s3://bucket/p"), settings)) {
        long start = System.nanoTime();
        assertThatThrownBy(
                () ->
                    Retries.retrying(
                        RetryPolicy.DEFAULT,
                        "list",
                        () -> store.list(KeyPrefix.of("node0")).hasNext()))
            .isInstanceOf(TransientStoreException.class)
            .hasMessageContaining("Cannot list node0/")
            .hasMessageContaining("s3://bucket");
        long listSeconds = (System.nanoTime() - start) / 1_000_000_000L;

        start = System.nanoTime();
        assertThatThrownBy(() -> store.stat(ObjectKey.of("node0/wal/00000000001.wal")))
            .isInstanceOf(TransientStoreException.class)
            .hasMessageContaining("node0/wal/00000000001.wal");
        long statSeconds = (System.nanoTime() - start) / 1_000_000_000L;

        assertThat(listSeconds).as("listing, with core's 4 attempts").isLessThan(30);
        assertThat(statSeconds).as("one HEAD").isLessThan(30);
      }
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }
}
