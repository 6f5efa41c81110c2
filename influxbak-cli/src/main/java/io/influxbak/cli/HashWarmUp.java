package io.influxbak.cli;

import io.influxbak.store.ExpectedContent;
import io.influxbak.store.HashingInputStream;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.ObjectKey;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs the hashing path (a {@link HashingInputStream} computing CRC32C and SHA-256) on a few MB of
 * zeros in a background thread while the command plans. In a fresh JVM, SHA-256 runs as plain Java
 * until the JIT compiles the hashing calls with the CPU's SHA instructions; on a small machine
 * whose cores are busy copying, that took seconds and made cold runs swing by half their time
 * (measured: deep verify of 2.2 GB in 5.5 to 9 s). A command-line run is always cold, an embedding
 * application is not, so only the command line does this.
 */
final class HashWarmUp {
  /** Reads of varying length, enough for the JIT's compile thresholds; about 0.3 s of one core. */
  static final int READS = 20_000;

  private HashWarmUp() {}

  /** Starts the warm-up on a daemon thread; the JVM never waits for it. */
  static void start() {
    Thread thread = new Thread(HashWarmUp::run, "influxbak-hash-warm-up");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
  }

  /** Runs the warm-up here; returns the reads it made, {@link #READS} unless something failed. */
  static int run() {
    // First what loads SHA-1: a run's lease id (UUID.randomUUID) seeds the JDK's SecureRandom,
    // whose mixing uses a SHA-1 digest, a second class behind the digest code the JIT compiles.
    UUID.randomUUID();
    byte[] zeros = new byte[8192];
    byte[] buffer = new byte[8192];
    ObjectKey key = ObjectKey.of("warm-up");
    MessageDigest reused;
    List<Optional<ExpectedContent>> expected;
    try {
      reused = MessageDigest.getInstance("SHA-256");
      ExpectedContent whole = expectedOf(zeros, key);
      expected =
          List.of(
              Optional.empty(),
              Optional.of(whole),
              Optional.of(new ExpectedContent(whole.size(), whole.crc32c(), Optional.empty())),
              Optional.of(new ExpectedContent(whole.size(), Optional.empty(), whole.sha256())));
    } catch (NoSuchAlgorithmException | IOException e) {
      return 0; // no SHA-256, or a byte array failed: nothing to warm up
    }
    int done = 0;
    for (int stream = 0; done < READS; stream++) {
      // What a real run meets, so that none of it is compiled as a trap that throws the compiled
      // read away when it first happens (measured: a cold deep verify lost its compiled read 0.9 s
      // in, and C2 compiled it again): streams of several classes (an object store's, a decoder's;
      // one class here made the call to the source stream a guess that the store's stream broke),
      // expected content checked at the last byte, with or without either checksum (a verify's and
      // a restore's reads), and reads with CRC32C only.
      try (HashingInputStream in =
          new HashingInputStream(
              source(stream, zeros),
              key,
              stream % 5 == 4 ? Hashes.CRC32C : Hashes.CRC32C_AND_SHA256,
              expected.get(stream % expected.size()))) {
        // Lengths from 1 to 4,096 bytes that are mostly not whole 64-byte blocks: with only whole
        // blocks, the JIT compiled SHA-256's update without its partial-block branches, and the
        // first real read that left a partial block threw the compiled code away (measured: the
        // SHA instructions lost from 0.57 s into a cold deep verify to its end, 3 s).
        for (int n = 1 + (done * 997) % 4096;
            done < READS && in.read(buffer, 0, n) > 0;
            done++, n = 1 + (done * 997) % 4096) {
          if ((done & 7) == 0) {
            // A digest updated again after digest() (as the SecureRandom of a lease id does):
            // never seen here, that branch was compiled as a trap that threw SHA-256's compiled
            // update away 0.7 s into a cold backup.
            reused.update(buffer, 0, n);
            reused.digest();
          }
        }
        in.sha256();
      } catch (IOException e) {
        return done; // a byte array cannot fail, nor match wrongly: nothing to warm up then
      }
    }
    return done;
  }

  /** The content of {@code bytes}: its size, CRC32C and SHA-256. */
  private static ExpectedContent expectedOf(byte[] bytes, ObjectKey key) throws IOException {
    try (HashingInputStream in =
        new HashingInputStream(
            new ByteArrayInputStream(bytes), key, Hashes.CRC32C_AND_SHA256, Optional.empty())) {
      in.readAllBytes();
      return new ExpectedContent(in.count(), Optional.of(in.crc32c()), in.sha256());
    }
  }

  /** The bytes as a stream of one of three classes, by turns. */
  private static InputStream source(int stream, byte[] bytes) {
    InputStream array = new ByteArrayInputStream(bytes);
    return switch (stream % 3) {
      case 0 -> array;
      case 1 -> new BufferedInputStream(array, 1024);
      default -> new PushbackInputStream(array);
    };
  }
}
