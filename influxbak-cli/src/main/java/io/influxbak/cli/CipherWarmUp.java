package io.influxbak.cli;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Runs AES-GCM (encrypt and decrypt of 1 KiB, 20,000 times, about half a second of one core) in a
 * background thread when a command is given a key. Until the JIT compiles the JDK's GCM code with
 * the CPU's AES and carry-less multiply instructions it runs at 25 to 50 MB/s; compiled, at 0.5 to
 * 2 GB/s (measured on this project's 2-core machine: an encrypted backup of a 48 MiB node took 2.2x
 * the plain one, all of it cold-cipher time). Like {@link HashWarmUp}, only the command line needs
 * this: an embedding application is warm.
 */
final class CipherWarmUp {
  private static final int ROUNDS = 20_000;

  private CipherWarmUp() {}

  /** Starts the warm-up on a daemon thread; the JVM never waits for it. */
  static void start() {
    Thread thread = new Thread(CipherWarmUp::run, "influxbak-cipher-warm-up");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
  }

  private static void run() {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
      byte[] data = new byte[1024];
      byte[] nonce = new byte[12];
      for (int i = 0; i < ROUNDS; i++) {
        nonce[0] = (byte) i;
        nonce[1] = (byte) (i >> 8);
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        byte[] sealed = cipher.doFinal(data);
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.doFinal(sealed);
      }
    } catch (GeneralSecurityException e) {
      // nothing to warm up then; the real work reports the same failure where it matters
    }
  }
}
