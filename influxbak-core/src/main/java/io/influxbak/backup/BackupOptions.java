package io.influxbak.backup;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import io.influxbak.encryption.BackupKeys;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.repository.BackupId;
import io.influxbak.transfer.Compression;
import io.influxbak.transfer.TransferSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import javax.annotation.concurrent.Immutable;

/**
 * Settings of a backup. Immutable; build with {@link #builder()} or start from {@link #defaults()}.
 *
 * <p>Defaults: a backup id {@code backup-<UTC yyyyMMdd-HHmmss>} (the InfluxDB docs' naming), 16
 * copies in flight on an executor of the plan's own, SHA-256 computed alongside CRC32C, table
 * snapshots left out, each node pinned to its newest snapshot with orphan Parquet files left out,
 * incremental against the newest complete backup of the same nodes in the destination, no
 * compression.
 */
@Immutable
public final class BackupOptions {
  private static final DateTimeFormatter BACKUP_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final TransferSettings transfer;
  private final Optional<String> backupId;
  private final boolean sha256;
  private final boolean includeTableSnapshots;
  private final boolean includeEnterpriseBackups;
  private final boolean pinned;
  private final boolean keepOrphans;
  private final boolean incremental;
  private final boolean verifyReusedContent;
  private final boolean resume;
  private final Compression compression;
  private final Optional<KeyEncryptionKey> encryption;
  private final BackupKeys keys;
  private final Optional<RetentionLock> lock;
  private final int journalEvery;
  private final LeaseSettings lease;

  private BackupOptions(Builder builder) {
    this.transfer = builder.transfer;
    this.backupId = builder.backupId;
    this.sha256 = builder.sha256;
    this.includeTableSnapshots = builder.includeTableSnapshots;
    this.includeEnterpriseBackups = builder.includeEnterpriseBackups;
    this.pinned = builder.pinned;
    this.keepOrphans = builder.keepOrphans;
    this.incremental = builder.incremental;
    this.verifyReusedContent = builder.verifyReusedContent;
    this.resume = builder.resume;
    this.compression = builder.compression;
    this.encryption = builder.encryption;
    this.keys = encryption.map(BackupKeys::of).orElse(BackupKeys.NONE);
    this.lock = builder.lock;
    this.journalEvery = builder.journalEvery;
    this.lease = builder.lease;
  }

  /** The default settings. */
  public static BackupOptions defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.transfer = transfer;
    builder.backupId = backupId;
    builder.sha256 = sha256;
    builder.includeTableSnapshots = includeTableSnapshots;
    builder.includeEnterpriseBackups = includeEnterpriseBackups;
    builder.pinned = pinned;
    builder.keepOrphans = keepOrphans;
    builder.incremental = incremental;
    builder.verifyReusedContent = verifyReusedContent;
    builder.resume = resume;
    builder.compression = compression;
    builder.encryption = encryption;
    builder.lock = lock;
    builder.journalEvery = journalEvery;
    builder.lease = lease;
    return builder;
  }

  /**
   * How the run's lease in the destination is timed ({@link io.influxbak.lease.Leases#backup}); by
   * default {@link LeaseSettings#defaults()}, waiting up to 30 minutes while a prune runs.
   */
  public LeaseSettings lease() {
    return lease;
  }

  /** The id a run started at {@code startedAt} writes: the caller's, or one from the time. */
  BackupId backupIdAt(Instant startedAt) {
    return BackupId.of(backupId.orElseGet(() -> "backup-" + BACKUP_ID_TIME.format(startedAt)));
  }

  /** The backup id chosen by the caller, if any. */
  public Optional<String> backupId() {
    return backupId;
  }

  /** Whether SHA-256 is computed alongside CRC32C while data streams. */
  public boolean sha256() {
    return sha256;
  }

  /** Whether {@code table-snapshots/} objects are copied. */
  public boolean includeTableSnapshots() {
    return includeTableSnapshots;
  }

  /** Whether {@code <cluster-id>/backups/} (Enterprise's own backup command's output) is copied. */
  public boolean includeEnterpriseBackups() {
    return includeEnterpriseBackups;
  }

  /** Whether each node's copy is pinned to its newest snapshot (the default). */
  public boolean pinned() {
    return pinned;
  }

  /** Whether Parquet files no snapshot keeps live are copied too. */
  public boolean keepOrphans() {
    return keepOrphans;
  }

  /**
   * Whether objects the newest complete backup of the same nodes in the destination already holds,
   * with the same key, size and hash, are referenced rather than copied (the default; see {@link
   * Builder#full()}).
   */
  public boolean incremental() {
    return incremental;
  }

  /**
   * Whether reused objects of kinds the server never rewrites are checked by hash too, not only by
   * key and size.
   */
  public boolean verifyReusedContent() {
    return verifyReusedContent;
  }

  /**
   * Whether this run resumes the interrupted backup {@link #backupId()} (see {@link
   * Builder#resume}).
   */
  public boolean resume() {
    return resume;
  }

  /** How the backup's copies are compressed. */
  public Compression compression() {
    return compression;
  }

  /**
   * The key that wraps the backup's data key, when the backup is encrypted ({@link
   * Builder#encryption}).
   */
  public Optional<KeyEncryptionKey> encryption() {
    return encryption;
  }

  /**
   * How the backup's objects are locked against deletion, if at all ({@link Builder#lock}; by
   * default not).
   */
  public Optional<RetentionLock> lock() {
    return lock;
  }

  /**
   * The keys the run reads and writes encrypted backups with: the data keys {@link #encryption()}
   * unwraps, remembered for the run.
   */
  public BackupKeys keys() {
    return keys;
  }

  /**
   * Objects copied between two journal chunks at most (a chunk is also written every 2 seconds).
   */
  public int journalEvery() {
    return journalEvery;
  }

  /** How the operation runs: parallelism, executor, clock, retries, cancellation, progress. */
  public TransferSettings transfer() {
    return transfer;
  }

  /** Builds {@link BackupOptions}. Not thread-safe. */
  public static final class Builder {
    private TransferSettings transfer = TransferSettings.defaults();
    private Optional<String> backupId = Optional.empty();
    private boolean sha256 = true;
    private boolean includeTableSnapshots;
    private boolean includeEnterpriseBackups;
    private boolean pinned = true;
    private boolean keepOrphans;
    private boolean incremental = true;
    private boolean verifyReusedContent;
    private boolean resume;
    private Compression compression = Compression.none();
    private Optional<KeyEncryptionKey> encryption = Optional.empty();
    private Optional<RetentionLock> lock = Optional.empty();
    private int journalEvery = 1000;
    private LeaseSettings lease = LeaseSettings.defaults().withMaxWait(Duration.ofMinutes(30));

    private Builder() {}

    /** How the operation runs: parallelism, executor, clock, retries, cancellation, progress. */
    public Builder transfer(TransferSettings transfer) {
      this.transfer = requireNonNull(transfer, "transfer is null");
      return this;
    }

    /**
     * Names the backup; it becomes the first key segment of every object of the backup.
     *
     * @throws io.influxbak.store.InvalidKeyException if it is not a single valid key segment
     */
    public Builder backupId(String backupId) {
      requireNonNull(backupId, "backupId is null");
      BackupId.of(backupId);
      this.backupId = Optional.of(backupId);
      return this;
    }

    /** Computes CRC32C only, not SHA-256 (faster; no tamper evidence). */
    public Builder withoutSha256() {
      this.sha256 = false;
      return this;
    }

    /**
     * Copies {@code table-snapshots/} too (regenerated by the server on restart; harmless to
     * include).
     */
    public Builder includeTableSnapshots() {
      this.includeTableSnapshots = true;
      return this;
    }

    /**
     * Copies {@code <cluster-id>/backups/}, the output of Enterprise's own backup command, as an
     * opaque object set (left out by default: it is not node data).
     */
    public Builder includeEnterpriseBackups() {
      this.includeEnterpriseBackups = true;
      return this;
    }

    /**
     * Copies every object as listed, like the InfluxDB docs' scripts, instead of pinning each node
     * to its newest snapshot. Only consistent when the server is idle.
     */
    public Builder withoutPinning() {
      this.pinned = false;
      return this;
    }

    /** Copies Parquet files that no snapshot keeps live (orphans, removed files) as well. */
    public Builder keepOrphans() {
      this.keepOrphans = true;
      return this;
    }

    /**
     * Copies every object, referencing nothing in earlier backups: the backup's root then holds all
     * its bytes, and stays restorable by a plain copy (unless compressed) whatever happens to other
     * backups.
     */
    public Builder full() {
      this.incremental = false;
      return this;
    }

    /**
     * Checks every object an incremental backup reuses by hash (the source store's native CRC32C,
     * or a hash of the source's bytes, read but not written), not only by key and size. By default,
     * WAL, snapshot and Parquet files, whose names InfluxDB never reuses for other bytes, are
     * reused on key and size alone, so an unchanged node costs a listing and no data requests;
     * objects rewritten in place are always checked by hash.
     */
    public Builder verifyReusedContent() {
      this.verifyReusedContent = true;
      return this;
    }

    /**
     * Finishes the interrupted backup {@code backupId} (one with a start marker and no manifest)
     * instead of starting a new one: the objects its journal records as copied and verified are
     * kept without reading them again, the rest is copied from the source as it is now (pinned
     * anew), objects of the interrupted run that the new plan does not need are removed from the
     * backup's root, and the manifest is written last as usual.
     *
     * @throws io.influxbak.store.InvalidKeyException if it is not a single valid key segment
     */
    public Builder resume(String backupId) {
      backupId(backupId);
      this.resume = true;
      return this;
    }

    /**
     * Compresses the backup's copies (restore decompresses them; hashes cover the original bytes).
     */
    public Builder compression(Compression compression) {
      this.compression = requireNonNull(compression, "compression is null");
      return this;
    }

    /**
     * Writes a journal chunk after at most this many copied objects (default 1,000; one is also
     * written every 2 seconds and when the run stops): what a crash makes a resume copy again.
     * Smaller costs one small write per chunk.
     */
    public Builder journalEvery(int objects) {
      checkArgument(objects >= 1, "journalEvery must be positive: %s", objects);
      this.journalEvery = objects;
      return this;
    }

    /**
     * Encrypts the backup on the client: a new random data key, wrapped by {@code kek} into the
     * backup's {@code key.json}, encrypts every object, the manifest and the journal in
     * authenticated segments. Copies are then always streamed through this JVM (never server-side),
     * and an incremental backup reuses only objects of earlier backups encrypted under {@code kek}.
     * Reading the backup (restore, verify, prune, list) needs {@code kek} again.
     */
    public Builder encryption(KeyEncryptionKey kek) {
      this.encryption = Optional.of(requireNonNull(kek, "kek is null"));
      return this;
    }

    /**
     * Locks the backup's objects in the destination against deletion and replacement as {@code
     * lock} says (S3 Object Lock, Azure immutability policies, GCS object retention; the bucket or
     * container must allow them). A store without locks fails the plan before anything is written.
     */
    public Builder lock(RetentionLock lock) {
      this.lock = Optional.of(requireNonNull(lock, "lock is null"));
      return this;
    }

    /** How the run's lease in the destination is timed. */
    public Builder lease(LeaseSettings lease) {
      this.lease = requireNonNull(lease, "lease is null");
      return this;
    }

    /** The options. */
    public BackupOptions build() {
      return new BackupOptions(this);
    }
  }
}
