package io.influxbak.store.testing;

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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An endpoint on loopback that accepts connections and never answers (a hung server or a black hole
 * behind a load balancer), and the assertion every adapter's defaults must meet against it.
 */
public final class DeadEndpoint implements AutoCloseable {
  private final ServerSocket socket;
  private final List<Socket> held = new CopyOnWriteArrayList<>();

  /** Starts accepting, and never answering, on a free port. */
  public DeadEndpoint() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!socket.isClosed()) {
                try {
                  held.add(socket.accept()); // accepted, never answered
                } catch (IOException closed) {
                  return;
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  /**
   * A listing (with core's default retries) and a stat of {@code store} fail within 30 s each, as
   * transient failures whose messages name the prefix or key and {@code storeName}.
   */
  public static void assertListAndStatFailFast(ObjectStore store, String storeName) {
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                Retries.retrying(
                    RetryPolicy.DEFAULT, "list", () -> store.list(KeyPrefix.of("node0")).hasNext()))
        .isInstanceOf(TransientStoreException.class)
        .hasMessageContaining("Cannot list node0/")
        .hasMessageContaining(storeName);
    long listSeconds = (System.nanoTime() - start) / 1_000_000_000L;

    start = System.nanoTime();
    assertThatThrownBy(() -> store.stat(ObjectKey.of("node0/wal/00000000001.wal")))
        .isInstanceOf(TransientStoreException.class)
        .hasMessageContaining("node0/wal/00000000001.wal")
        .hasMessageMatching("(?s).*(timed out|timeout).*");
    long statSeconds = (System.nanoTime() - start) / 1_000_000_000L;

    assertThat(listSeconds).as("listing, with core's 4 attempts").isLessThan(30);
    assertThat(statSeconds).as("one stat").isLessThan(30);
  }

  @Override
  public void close() throws IOException {
    socket.close();
    for (Socket s : held) {
      s.close();
    }
  }
}
