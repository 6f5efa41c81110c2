package io.influxbak.cli;

import io.influxbak.store.HashingInputStream;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.ObjectKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
  private static final int READS = 20_000;

  private HashWarmUp() {}

  /** Starts the warm-up on a daemon thread; the JVM never waits for it. */
  static void start() {
    Thread thread = new Thread(HashWarmUp::run, "influxbak-hash-warm-up");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
  }

  private static void run() {
    // First what loads SHA-1: a run's lease id (UUID.randomUUID) seeds the JDK's SecureRandom,
    // whose mixing uses a SHA-1 digest, a second class behind the digest code the JIT compiles.
    UUID.randomUUID();
    byte[] zeros = new byte[8192];
    byte[] buffer = new byte[8192];
    ObjectKey key = ObjectKey.of("warm-up");
    MessageDigest reused;
    try {
      reused = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      return; // no SHA-256: nothing to warm up
    }
    for (int done = 0; done < READS; ) {
      try (HashingInputStream in =
          new HashingInputStream(
              new ByteArrayInputStream(zeros), key, Hashes.CRC32C_AND_SHA256, Optional.empty())) {
        // Lengths from 1 to 4,096 bytes that are mostly not whole 64-byte blocks: with only whole
        // blocks, the JIT compiled SHA-256's update without its partial-block branches, and the
        // first real read that left a partial block threw the compiled code away (measured: the
        // SHA instructions lost from 0.57 s into a cold deep verify to its end, 3 s).
        for (int n = 1 + (done * 997) % 4096;
            in.read(buffer, 0, n) > 0 && done < READS;
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
        return; // a byte array cannot fail; nothing to warm up then
      }
    }
  }
}
