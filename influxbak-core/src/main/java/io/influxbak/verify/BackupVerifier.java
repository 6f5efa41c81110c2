package io.influxbak.verify;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.Lists;
import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.DataKey;
import io.influxbak.encryption.DecryptionFailedException;
import io.influxbak.encryption.EncryptionKeyException;
import io.influxbak.layout.InternalFraming;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.manifest.ManifestException;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.manifest.StoredCopy;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupRepository;
import io.influxbak.store.ContentMismatchException;
import io.influxbak.store.ExpectedContent;
import io.influxbak.store.HashingInputStream;
import io.influxbak.store.HashingInputStream.Hashes;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.transfer.OperationCancelledException;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.RetryPolicy;
import io.influxbak.transfer.TransferSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.annotation.Nullable;
import javax.annotation.concurrent.ThreadSafe;

/**
 * Verifies a backup against its manifest.
 *
 * <pre>{@code
 * VerifyReport quick = BackupVerifier.shallow(store, "backup-20261124-101500");
 * VerifyReport full = BackupVerifier.deep(store, "backup-20261124-101500", 8);
 * }</pre>
 *
 * Both report every missing object, every object whose size (shallow: and native CRC32C, where the
 * store keeps one) differs, and every extra object under the backup's node prefixes. Objects are
 * checked where the backup keeps them: in its own root or, for an incremental backup, in the
 * earlier backup it reuses them from; shallow compares the stored bytes' size and CRC32C
 * (compressed copies included), deep decompresses and compares the original bytes' hashes. Deep
 * re-reads every object, compares its CRC32C and SHA-256 with the manifest, and checks the internal
 * framing and CRC of WAL and catalog files. Findings are data: a verify throws only when the store
 * itself cannot be listed.
 */
@ThreadSafe
public final class BackupVerifier {
  /**
   * Each verify thread's read buffer: large enough that a small object is one read (the 8 KiB of
   * {@code transferTo} made a 64 KiB Parquet file eight system calls), reused across objects.
   */
  private static final ThreadLocal<byte[]> READ_BUFFER =
      ThreadLocal.withInitial(() -> new byte[256 * 1024]);

  /**
   * WAL and catalog files larger than this are hashed but not framing-checked (they are read
   * whole).
   */
  private static final long MAX_FRAMED_SIZE = 256L << 20;

  private BackupVerifier() {}

  /**
   * Compares what the store says about each object with the manifest, reading no object data where
   * it can.
   */
  public static VerifyReport shallow(ObjectStore store, String backupId) throws IOException {
    requireNonNull(store, "store is null");
    requireNonNull(backupId, "backupId is null");
    return shallow(store, BackupId.of(backupId), TransferSettings.defaults());
  }

  /**
   * Like {@link #shallow(ObjectStore, String)}, run with {@code settings}: its retry policy retries
   * listings and stats that fail transiently, its cancellation handle stops the verify between
   * objects.
   */
  public static VerifyReport shallow(ObjectStore store, BackupId id, TransferSettings settings)
      throws IOException {
    return shallow(store, id, settings, BackupKeys.NONE);
  }

  /**
   * Like {@link #shallow(ObjectStore, BackupId, TransferSettings)}, reading an encrypted backup's
   * manifest with {@code keys}; an encrypted copy is compared by its stored (ciphertext) size and
   * CRC32C, which the manifest records.
   */
  public static VerifyReport shallow(
      ObjectStore store, BackupId id, TransferSettings settings, BackupKeys keys)
      throws IOException {
    requireNonNull(store, "store is null");
    requireNonNull(settings, "settings is null");
    requireNonNull(keys, "keys is null");
    String backupId = requireNonNull(id, "id is null").toString();
    Loaded loaded = load(store, backupId, keys, false, entry -> {});
    if (loaded.verdict().isPresent()) {
      return loaded.verdict().get();
    }
    BackupManifest manifest = loaded.manifest().orElseThrow();
    Map<ObjectKey, ObjectInfo> listed = listed(store, backupId, settings);
    Map<String, Map<ObjectKey, ObjectInfo>> holders = new HashMap<>();
    ShallowComparison comparison =
        new ShallowComparison(store, settings.retryPolicy(), manifest.createdAt());
    List<VerifyFinding> findings = new ArrayList<>();
    for (ManifestEntry entry : manifest.entries()) {
      settings.cancellation().throwIfCancelled("verify");
      StoredCopy stored = entry.stored();
      ObjectKey key = entry.storedKey(backupId);
      ObjectInfo info;
      if (stored.backupId().isEmpty()) {
        info = listed.remove(key);
      } else {
        String holder = stored.backupId().get();
        Map<ObjectKey, ObjectInfo> held = holders.get(holder);
        if (held == null) {
          held = listed(store, holder, settings);
          holders.put(holder, held);
        }
        info = held.get(key);
      }
      if (info == null) {
        String holder = stored.backupId().orElse(backupId);
        boolean holderGone = !holder.equals(backupId) && holders.get(holder).isEmpty();
        findings.add(
            new VerifyFinding(
                key,
                VerifyFinding.Problem.MISSING,
                holderGone
                    ? "reused from backup "
                        + holder
                        + ", which is gone from the store (nothing under "
                        + holder
                        + "/): BROKEN"
                    : "listed in the manifest, not in the store"));
        continue;
      }
      comparison.compare(key, info, stored, findings);
    }
    extras(listed, findings);
    Optional<ObjectLock> lock = LockCheck.check(store, backupId, manifest, settings, findings);
    return new VerifyReport(
        backupId, false, manifest.entries().size(), 0, comparison.notCompared(), findings, lock);
  }

  /**
   * Re-reads every object with {@code parallelism} reads in flight, compares its hashes with the
   * manifest and checks the framing of WAL and catalog files.
   */
  public static VerifyReport deep(ObjectStore store, String backupId, int parallelism)
      throws IOException {
    requireNonNull(store, "store is null");
    requireNonNull(backupId, "backupId is null");
    checkArgument(parallelism >= 1, "parallelism must be positive: %s", parallelism);
    return deep(
        store, BackupId.of(backupId), TransferSettings.builder().parallelism(parallelism).build());
  }

  /**
   * Like {@link #deep(ObjectStore, String, int)}, run with {@code settings}: its parallelism and
   * executor carry the reads, its retry policy reads an object again after a transient failure (a
   * dropped connection, a stream cut short) before reporting it unreadable, its cancellation handle
   * stops the verify between objects.
   */
  public static VerifyReport deep(ObjectStore store, BackupId id, TransferSettings settings)
      throws IOException {
    return deep(store, id, settings, BackupKeys.NONE);
  }

  /**
   * Like {@link #deep(ObjectStore, BackupId, TransferSettings)}, decrypting an encrypted backup
   * with {@code keys} (each segment authenticated) and hashing the plaintext; throws {@link
   * EncryptionKeyException} if a data key it needs does not unwrap.
   */
  public static VerifyReport deep(
      ObjectStore store, BackupId id, TransferSettings settings, BackupKeys keys)
      throws IOException {
    requireNonNull(store, "store is null");
    requireNonNull(settings, "settings is null");
    requireNonNull(keys, "keys is null");
    String backupId = requireNonNull(id, "id is null").toString();
    AtomicLong bytesRead = new AtomicLong();
    BackupManifest manifest;
    Map<ObjectKey, ObjectInfo> listed;
    List<VerifyFinding> all;
    try (DeepReads reads = new DeepReads(settings)) {
      List<ManifestEntry> encrypted = new ArrayList<>();
      try {
        // A plain copy needs no key: its read starts as soon as its entry is parsed; an encrypted
        // one once the manifest is read whole and the keys it needs are unwrapped.
        Loaded loaded =
            load(
                store,
                backupId,
                keys,
                true,
                entry -> {
                  if (entry.stored().encoding().encrypted()) {
                    encrypted.add(entry);
                  } else {
                    ObjectKey key = entry.storedKey(backupId);
                    reads.submit(
                        key,
                        entry,
                        () -> check(store, key, entry, null, bytesRead, settings.retryPolicy()));
                  }
                });
        if (loaded.verdict().isPresent()) {
          reads.abandon(); // what was read belongs to no manifest
          return loaded.verdict().get();
        }
        manifest = loaded.manifest().orElseThrow();
        Map<String, DataKey> dataKeys =
            BackupRepository.of(store, keys)
                .dataKeys(backupId, Lists.transform(encrypted, ManifestEntry::stored));
        for (ManifestEntry entry : encrypted) {
          DataKey dataKey = dataKeys.get(entry.stored().holder(backupId));
          ObjectKey key = entry.storedKey(backupId);
          reads.submit(
              key,
              entry,
              () -> check(store, key, entry, dataKey, bytesRead, settings.retryPolicy()));
        }
        reads.started(manifest.entries().size(), manifest.byteCount());
        // The listing (for extras) runs on this thread while the reads run on the executor's: on
        // a cold JVM it took a quarter of a 2 GB deep verify when it came first.
        listed = listed(store, backupId, settings);
      } catch (IOException | RuntimeException e) {
        reads.abandon(); // no verdict without the manifest and the listing: the rest stay unread
        throw e;
      }
      reads.await();
      settings.cancellation().throwIfCancelled("verify");
      for (ObjectKey key : reads.keys()) {
        listed.remove(key);
      }
      all = reads.findings();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationCancelledException("verify " + backupId);
    } catch (ExecutionException e) {
      throw new IOException(
          "Verify of " + backupId + " failed: " + e.getCause().getMessage(), e.getCause());
    }
    all.sort((a, b) -> a.key().compareTo(b.key()));
    extras(listed, all);
    Optional<ObjectLock> lock = LockCheck.check(store, backupId, manifest, settings, all);
    return new VerifyReport(
        backupId, true, manifest.entries().size(), bytesRead.get(), Map.of(), all, lock);
  }

  /** Reads one object, hashing it, and checks it against its entry. */
  private static List<VerifyFinding> check(
      ObjectStore store,
      ObjectKey key,
      ManifestEntry entry,
      @Nullable DataKey dataKey,
      AtomicLong bytesRead,
      RetryPolicy retryPolicy) {
    List<VerifyFinding> findings = new ArrayList<>();
    try {
      Retries.retrying(retryPolicy, "verify", () -> read(store, key, entry, dataKey, bytesRead))
          .ifPresent(findings::add);
    } catch (ObjectNotFoundException e) {
      findings.add(
          new VerifyFinding(
              key,
              VerifyFinding.Problem.MISSING,
              entry
                  .stored()
                  .backupId()
                  .map(holder -> "reused from backup " + holder + ", not in the store")
                  .orElse("listed in the manifest, not in the store")));
    } catch (ContentMismatchException e) {
      VerifyFinding.Problem problem =
          e.sizeDiffers()
              ? VerifyFinding.Problem.SIZE_MISMATCH
              : VerifyFinding.Problem.CHECKSUM_MISMATCH;
      findings.add(new VerifyFinding(key, problem, e.getMessage()));
    } catch (DecryptionFailedException e) {
      // the stored bytes are not what was encrypted for this object: changed, cut, moved
      findings.add(new VerifyFinding(key, VerifyFinding.Problem.CHECKSUM_MISMATCH, e.getMessage()));
    } catch (IOException e) {
      findings.add(
          new VerifyFinding(
              key,
              VerifyFinding.Problem.UNREADABLE,
              e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
    return findings;
  }

  /** Reads one object whole, hashing it; returns a framing finding, throws on other problems. */
  private static Optional<VerifyFinding> read(
      ObjectStore store,
      ObjectKey key,
      ManifestEntry entry,
      @Nullable DataKey dataKey,
      AtomicLong bytesRead)
      throws IOException {
    boolean framed = InternalFraming.applies(entry.kind()) && entry.size() <= MAX_FRAMED_SIZE;
    ExpectedContent expected = new ExpectedContent(entry.size(), entry.crc32c(), entry.sha256());
    Hashes hashes = entry.sha256().isPresent() ? Hashes.CRC32C_AND_SHA256 : Hashes.CRC32C;
    try (HashingInputStream in =
        new HashingInputStream(
            entry
                .stored()
                .encoding()
                .decode(store.open(key), key.toString(), Optional.ofNullable(dataKey)),
            key,
            hashes,
            Optional.of(expected))) {
      Optional<VerifyFinding> framing = Optional.empty();
      if (framed) {
        byte[] bytes = in.readAllBytes();
        framing =
            InternalFraming.problem(entry.kind(), bytes)
                .map(p -> new VerifyFinding(key, VerifyFinding.Problem.BAD_FRAMING, p));
      } else {
        byte[] buffer = READ_BUFFER.get();
        while (in.read(buffer, 0, buffer.length) >= 0) {
          // hashing is the work
        }
      }
      bytesRead.addAndGet(in.count());
      return framing;
    }
  }

  /**
   * The manifest to check against, or the verdict when there is none: no manifest (incomplete), or
   * one that does not read here (a transient store failure is thrown instead).
   */
  private record Loaded(Optional<BackupManifest> manifest, Optional<VerifyReport> verdict) {}

  /**
   * The manifest of a deep or shallow verify, each entry passed to {@code parsed} as it is read.
   */
  private static Loaded load(
      ObjectStore store,
      String backupId,
      BackupKeys keys,
      boolean deep,
      Consumer<ManifestEntry> parsed)
      throws IOException {
    Optional<BackupManifest> manifest;
    try {
      manifest =
          BackupRepository.of(store, keys)
              .readManifest(BackupId.of(backupId), ManifestFormat.DEFAULT_MAX_OBJECTS, parsed);
    } catch (ObjectNotFoundException e) {
      manifest = Optional.empty();
    } catch (IOException e) {
      if (e instanceof EncryptionKeyException
          || (!(e instanceof ManifestException) && RetryPolicy.isTransient(e))) {
        throw e; // the caller's key, or the store for the moment: no verdict on the backup
      }
      return new Loaded(
          Optional.empty(), Optional.of(VerifyReport.unreadableManifest(backupId, deep, e)));
    }
    return manifest.isPresent()
        ? new Loaded(manifest, Optional.empty())
        : new Loaded(Optional.empty(), Optional.of(VerifyReport.noManifest(backupId, deep)));
  }

  /** Every object under the backup root except its own records (markers, manifest, journal). */
  private static Map<ObjectKey, ObjectInfo> listed(
      ObjectStore store, String backupId, TransferSettings settings) throws IOException {
    return Retries.retrying(
        settings.retryPolicy(),
        "verify",
        () -> BackupRepository.of(store).storedObjects(BackupId.of(backupId)));
  }

  private static void extras(Map<ObjectKey, ObjectInfo> unlisted, List<VerifyFinding> findings) {
    unlisted.keySet().stream()
        .sorted()
        .forEach(
            key ->
                findings.add(
                    new VerifyFinding(
                        key, VerifyFinding.Problem.EXTRA, "in the store, not in the manifest")));
  }
}
