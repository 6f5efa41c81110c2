package io.influxbak.store.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test server (an emulator) run as a child process on a loopback port: started, waited for until
 * its port accepts connections, and killed when the JVM exits. Adapters' tests use it to run
 * against real servers that speak the real protocol; a server that does not come up fails the tests
 * with its log, never skips them.
 */
public final class TestServerProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private TestServerProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** A free loopback port (free when asked; the server binds it right after). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Starts {@code command}, which must listen on {@code port}, logging to {@code log}, and waits up
   * to {@code timeout} for the port.
   *
   * @throws IllegalStateException naming the server and quoting its log if it exits or does not
   *     listen in time
   */
  public static TestServerProcess start(
      String name, List<String> command, int port, Path log, Duration timeout) throws IOException {
    requireNonNull(name, "name is null");
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    TestServerProcess server = new TestServerProcess(name, process, port, log);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop " + name));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with "
                + process.exitValue()
                + " before listening on "
                + port
                + ":\n"
                + server.tail());
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return server;
      } catch (IOException notYet) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          server.close();
          throw new IllegalStateException("interrupted while starting " + name, e);
        }
      }
    }
    server.close();
    throw new IllegalStateException(
        name + " did not listen on " + port + " within " + timeout + ":\n" + server.tail());
  }

  /** The loopback port it listens on. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The end of its log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Kills the process and waits for it. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + " on " + endpoint();
  }
}
