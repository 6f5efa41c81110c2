package io.influxbak.lease;

import static java.util.Objects.requireNonNull;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import com.google.common.collect.ImmutableList;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectChangedException;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.TransientStoreException;
import io.influxbak.store.WriteMode;
import io.influxbak.transfer.Retries;
import io.influxbak.transfer.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The leases in one store, under {@code influxbak-leases/}: taking them for the operations that
 * change the store, and listing and breaking them.
 *
 * <ul>
 *   <li>A backup or resume of backup {@code id} holds {@code backup/<id>.json}: a second run of the
 *       same id is refused, naming the holder; backups of other ids (other nodes) run together.
 *   <li>A prune holds {@code prune.json}, and runs only while no backup lease is held: a backup,
 *       once it holds its own lease, waits while a prune's is held; a prune, once it holds its own,
 *       gives it back and waits (or refuses) while a backup's is held. Each writes its own lease
 *       before it reads the other's, so of a backup and a prune that start together at least one
 *       sees the other.
 *   <li>A restore holds {@code restore/<prefix>.json} in its target for each prefix it writes.
 * </ul>
 *
 * <p>A lease is taken over only once past its expiry by the takeover margin ({@link
 * LeaseState.Status#STALE}), with a conditional replace (or, for another run's lease in the way, a
 * conditional delete) on the version read; of two runs taking it over together one wins.
 */
public final class Leases {
  /** Where the leases live in a store. Never a backup id. */
  public static final KeyPrefix ROOT = KeyPrefix.of("influxbak-leases");

  private static final ObjectKey PRUNE = ROOT.resolve("prune.json");
  private static final KeyPrefix BACKUPS = ROOT.resolvePrefix("backup");
  private static final int MAX_LEASE_BYTES = 64 << 10;

  private final ObjectStore store;
  private final LeaseSettings settings;
  private final RetryPolicy retry;

  private Leases(ObjectStore store, LeaseSettings settings) {
    this.store = store;
    this.settings = settings;
    this.retry = retryPolicy(settings);
  }

  /** Lease requests are retried like copies, waiting with the settings' sleeper. */
  static RetryPolicy retryPolicy(LeaseSettings settings) {
    return new RetryPolicy(
        RetryPolicy.DEFAULT.maxAttempts(),
        RetryPolicy.DEFAULT.initialBackoff(),
        RetryPolicy.DEFAULT.maxBackoff(),
        settings.sleeper());
  }

  /** The leases in {@code store}, timed by {@code settings}. */
  public static Leases in(ObjectStore store, LeaseSettings settings) {
    return new Leases(
        requireNonNull(store, "store is null"), requireNonNull(settings, "settings is null"));
  }

  /**
   * Takes the lease of a backup (or resume) of {@code backupId}, then waits up to the settings'
   * wait while a prune holds its lease.
   *
   * @throws LeaseHeldException if another run holds the lease of {@code backupId}, or a prune still
   *     holds its lease after the wait
   */
  public HeldLease backup(String backupId, List<String> nodes, boolean resume) throws IOException {
    requireNonNull(backupId, "backupId is null");
    LeaseRecord record =
        record(
            resume ? LeaseOperation.RESUME : LeaseOperation.BACKUP, Optional.of(backupId), nodes);
    String what = (resume ? "resume of " : "backup ") + backupId + " into " + store.id();
    HeldLease held = take(List.of(BACKUPS.resolve(backupId + ".json")), record, what);
    try {
      Instant deadline = settings.clock().instant().plus(settings.maxWait());
      for (Optional<LeaseState> prune = read(PRUNE); prune.isPresent(); prune = read(PRUNE)) {
        if (!prune.get().respected()) {
          breakQuietly(prune.get());
        } else if (settings.clock().instant().isBefore(deadline)) {
          pause();
          held.checkHeld();
        } else {
          throw new LeaseHeldException(what, List.of(prune.get()));
        }
      }
      return held;
    } catch (IOException | RuntimeException e) {
      held.close();
      throw e;
    }
  }

  /**
   * Takes the prune lease once no backup holds a lease, waiting up to the settings' wait.
   *
   * @throws LeaseHeldException naming the holders if a backup or another prune still holds a lease
   *     after the wait
   */
  public HeldLease prune() throws IOException {
    LeaseRecord record = record(LeaseOperation.PRUNE, Optional.empty(), List.of());
    String what = "prune of " + store.id();
    Instant deadline = settings.clock().instant().plus(settings.maxWait());
    while (true) {
      List<LeaseState> conflicts = new ArrayList<>();
      try {
        HeldLease held = take(List.of(PRUNE), record, what);
        for (LeaseState backup : read(BACKUPS)) {
          if (backup.respected()) {
            conflicts.add(backup);
          } else {
            breakQuietly(backup);
          }
        }
        if (conflicts.isEmpty()) {
          return held;
        }
        held.close();
      } catch (LeaseHeldException e) {
        conflicts.addAll(e.holders());
      }
      if (!settings.clock().instant().isBefore(deadline)) {
        throw new LeaseHeldException(what, conflicts);
      }
      pause();
    }
  }

  /**
   * Takes the leases of a restore of {@code backupId} into {@code prefixes} of this (target) store.
   *
   * @throws LeaseHeldException if another restore holds one of them
   */
  public HeldLease restore(String backupId, List<KeyPrefix> prefixes) throws IOException {
    List<ObjectKey> keys = new ArrayList<>();
    List<String> nodes = new ArrayList<>();
    for (KeyPrefix prefix : prefixes) {
      String name = prefix.toString().substring(0, prefix.toString().length() - 1);
      keys.add(ROOT.resolve("restore/" + name + ".json"));
      nodes.add(name);
    }
    return take(
        keys,
        record(LeaseOperation.RESTORE, Optional.of(backupId), nodes),
        "restore of " + backupId + " into " + store.id());
  }

  /** Every lease in the store, as this run's clock sees it: the running operations. */
  public List<LeaseState> list() throws IOException {
    return read(ROOT);
  }

  /**
   * Breaks the lease {@code name} (as {@link LeaseState#name} gives it), deleting it on the version
   * read; its holder, if it still runs, stops before its next change.
   *
   * @param force break it even if it is not stale (its holder may be running)
   * @return the lease broken
   * @throws ObjectNotFoundException if there is no such lease
   * @throws LeaseHeldException if it is not stale and {@code force} is false
   * @throws ObjectChangedException if it changed while being broken (read it again)
   */
  public LeaseState breakLease(String name, boolean force) throws IOException {
    ObjectKey key = ROOT.resolve(requireNonNull(name, "name is null"));
    LeaseState state = read(key).orElseThrow(() -> new ObjectNotFoundException(store.id(), key));
    if (state.respected() && !force) {
      throw new LeaseHeldException(
          "breaking lease " + name + " (not stale; force breaks it anyway)", List.of(state));
    }
    store.deleteIfVersion(key, state.version());
    return state;
  }

  private LeaseRecord record(
      LeaseOperation operation, Optional<String> backupId, List<String> nodes) {
    Instant now = settings.clock().instant();
    return new LeaseRecord(
        operation,
        backupId,
        nodes,
        host(),
        ProcessHandle.current().pid(),
        UUID.randomUUID().toString(),
        now,
        now.plus(settings.duration()));
  }

  /** Takes every key in order, or none: those taken are given back when one is refused. */
  private HeldLease take(List<ObjectKey> keys, LeaseRecord record, String what) throws IOException {
    List<HeldLease.Entry> entries = new ArrayList<>();
    ObjectKey taking = null;
    try {
      for (ObjectKey key : keys.stream().sorted().toList()) {
        taking = key;
        entries.add(Retries.retrying(retry, "take lease " + key, () -> takeOne(key, record, what)));
      }
    } catch (IOException | RuntimeException e) {
      for (HeldLease.Entry entry : entries) {
        try {
          store.deleteIfVersion(entry.key(), entry.version());
        } catch (IOException ignored) {
          // it expires on its own
        }
      }
      if (taking != null && !(e instanceof LeaseHeldException)) {
        giveBackIfOurs(taking, record); // a write that landed although its answer was lost
      }
      throw e;
    }
    return new HeldLease(store, settings, retry, record, entries);
  }

  /** Deletes the lease at {@code key} if it is this run's; best effort, it expires anyway. */
  private void giveBackIfOurs(ObjectKey key, LeaseRecord record) {
    try {
      Optional<LeaseState> state = read(key);
      if (state.isPresent()
          && state.get().record().filter(r -> r.run().equals(record.run())).isPresent()) {
        store.deleteIfVersion(key, state.get().version());
      }
    } catch (IOException | RuntimeException ignored) {
      // left to expire
    }
  }

  private HeldLease.Entry takeOne(ObjectKey key, LeaseRecord record, String what)
      throws IOException {
    ObjectContent content = ObjectContent.ofBytes(record.toJson());
    for (int attempt = 1; ; attempt++) {
      try {
        return new HeldLease.Entry(key, version(store.write(key, content, WriteMode.CREATE_NEW)));
      } catch (ObjectAlreadyExistsException e) {
        Optional<LeaseState> state = read(key);
        if (state.isEmpty()) {
          continue; // given back meanwhile
        }
        if (state.get().record().filter(r -> r.run().equals(record.run())).isPresent()) {
          // ours: an earlier attempt landed although its answer was lost
          return new HeldLease.Entry(key, state.get().version());
        }
        if (state.get().respected() || attempt > 3) {
          throw new LeaseHeldException(what, List.of(state.get()));
        }
        try {
          // The takeover: only the version read is replaced, so of two takers one wins.
          return new HeldLease.Entry(
              key, version(store.replaceIfVersion(key, content, state.get().version())));
        } catch (ObjectChangedException changed) {
          // another run took it or gave it back first: look again
        }
      }
    }
  }

  private String version(ObjectInfo info) throws IOException {
    return HeldLease.version(store, info);
  }

  private List<LeaseState> read(KeyPrefix prefix) throws IOException {
    List<ObjectKey> keys =
        Retries.retrying(
            retry,
            "list leases under " + prefix,
            () -> {
              List<ObjectKey> listed = new ArrayList<>();
              try (ObjectIterator objects = store.list(prefix)) {
                while (objects.hasNext()) {
                  listed.add(objects.next().key());
                }
              }
              return listed;
            });
    ImmutableList.Builder<LeaseState> states = ImmutableList.builder();
    for (ObjectKey key : keys.stream().sorted().toList()) {
      read(key).ifPresent(states::add);
    }
    return states.build();
  }

  /** The lease at {@code key}, or empty if there is none. */
  private Optional<LeaseState> read(ObjectKey key) throws IOException {
    return Retries.retrying(retry, "read lease " + key, () -> readOnce(key));
  }

  private Optional<LeaseState> readOnce(ObjectKey key) throws IOException {
    Optional<ObjectInfo> info = store.stat(key);
    if (info.isEmpty()) {
      return Optional.empty();
    }
    String version = version(info.get());
    byte[] bytes;
    try (InputStream in = store.open(key)) {
      bytes = in.readNBytes(MAX_LEASE_BYTES);
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
    if (bytes.length < Math.min(info.get().size(), MAX_LEASE_BYTES)) {
      // cut short (or replaced by a shorter record since the stat): read it again
      throw new TransientStoreException(
          "Read of lease " + key + " in " + store.id() + " ended early", null);
    }
    String name = key.relativeTo(ROOT);
    LeaseRecord record;
    try {
      record = LeaseRecord.fromJson(bytes, key + " in " + store.id());
    } catch (IOException e) {
      return Optional.of(
          new LeaseState(
              name,
              key,
              version,
              Optional.empty(),
              Optional.of(e.getMessage()),
              LeaseState.Status.UNREADABLE));
    }
    Instant now = settings.clock().instant();
    LeaseState.Status status =
        now.isBefore(record.until())
            ? LeaseState.Status.FRESH
            : now.isBefore(record.until().plus(settings.takeoverMargin()))
                ? LeaseState.Status.EXPIRED
                : LeaseState.Status.STALE;
    return Optional.of(
        new LeaseState(name, key, version, Optional.of(record), Optional.empty(), status));
  }

  /** Removes another run's stale lease on the version read; a run that got there first wins. */
  private void breakQuietly(LeaseState stale) throws IOException {
    try {
      Retries.running(
          retry,
          "break stale lease " + stale.key(),
          () -> store.deleteIfVersion(stale.key(), stale.version()));
    } catch (ObjectChangedException e) {
      // renewed, taken over or removed since it was read: the next look decides
    }
  }

  private void pause() throws IOException {
    try {
      settings.sleeper().sleep(settings.pollEvery());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("Interrupted while waiting for a lease");
    }
  }

  /** Looked up once: a host name lookup can take seconds where DNS is slow. */
  private static final Supplier<String> HOST =
      Suppliers.memoize(
          () -> {
            try {
              return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
              return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
            }
          });

  private static String host() {
    return HOST.get();
  }
}
