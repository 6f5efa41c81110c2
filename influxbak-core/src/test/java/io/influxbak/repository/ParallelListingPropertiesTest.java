package io.influxbak.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.layout.testing.CoreNodeArbitraries;
import io.influxbak.layout.testing.GeneratedNode;
import io.influxbak.store.KeyLevel;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.WriteMode;
import io.influxbak.store.testing.ForwardingObjectStore;
import io.influxbak.store.testing.InMemoryObjectStore;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The parallel listing of a remote store (a node by the planner, a backup's root by the repository)
 * gives exactly the keys one listing gives: keys directly under the node, under {@code dbs/}, under
 * a database, in tables at any depth, in other top-level prefixes, and names that only look like
 * those levels ({@code dbs} as an object, {@code dbsx/}). And it did list in parallel: levels by
 * delimiter listings, tables each on its own, several at once.
 */
class ParallelListingPropertiesTest {
  private static final KeyPrefix NODE = KeyPrefix.of("node0/");

  @Property(tries = 60)
  void parallelListing_givesExactlyTheKeysOfOneListing(@ForAll("keys") Set<String> keys)
      throws IOException {
    InMemoryObjectStore store = node(keys);
    store.write(
        ObjectKey.of("node1/dbs/1/1/x"), ObjectContent.ofBytes(new byte[1]), WriteMode.CREATE_NEW);
    Remote remote = new Remote(store);

    List<ObjectKey> parallel = ParallelListing.list(remote, NODE, 0, 4, ObjectInfo::key);

    assertSameKeysAsOneListing(parallel, store, NODE);
    long tables = tables(keys);
    assertThat(remote.levels.get()).as("delimiter listings").isGreaterThanOrEqualTo(1);
    assertThat(remote.wholeListings.get())
        .as("tables listed each on its own")
        .isGreaterThanOrEqualTo((int) tables);
    Statistics.label("tables").collect(tables >= 4 ? ">= 4" : "< 4");
    Statistics.label("listings in flight at once").collect(remote.maxInFlight.get() > 1);
    Statistics.label("listings in flight at once")
        .coverage(c -> c.check(true).percentage(p -> p >= 20));
  }

  /**
   * A backup's root, its nodes one level below it beside its records: the same keys as one listing
   * of the root, the tables of every node listed each on its own.
   */
  @Property(tries = 40)
  void backupRoot_givesExactlyTheKeysOfOneListing(
      @ForAll("keys") Set<String> node0, @ForAll("keys") Set<String> node1) throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    for (String key : node0) {
      write(store, "b1/node0/" + key);
    }
    for (String key : node1) {
      write(store, "b1/node1/" + key);
    }
    write(store, "b1/manifest.json");
    write(store, "b1/journal/00000001.json");
    write(store, "b2/node0/dbs/1/1/x"); // another backup: outside the scope
    Remote remote = new Remote(store);
    KeyPrefix root = KeyPrefix.of("b1/");

    List<ObjectKey> parallel = ParallelListing.list(remote, root, 1, 4, ObjectInfo::key);

    assertSameKeysAsOneListing(parallel, store, root);
    assertThat(remote.wholeListings.get())
        .as("tables listed each on its own")
        .isGreaterThanOrEqualTo((int) (tables(node0) + tables(node1)));
    Statistics.label("tables in the backup").collect(tables(node0) + tables(node1) >= 2);
    Statistics.label("tables in the backup").coverage(c -> c.check(true).percentage(p -> p >= 25));
  }

  /**
   * What {@link BackupRepository#storedObjects} gives for a backup on a store whose listings are
   * remote is what it gives on the same store listed once: every data object, no record; and it
   * came from delimiter listings.
   */
  @Property(tries = 15)
  void storedObjects_onARemoteStore_asOneListingGives(@ForAll("coreNodes") GeneratedNode node)
      throws IOException {
    InMemoryObjectStore source = new InMemoryObjectStore();
    node.writeTo(source);
    InMemoryObjectStore backups = new InMemoryObjectStore();
    BackupPlan.core(node.node())
        .withOptions(BackupOptions.builder().backupId("b1").build())
        .execute(source, backups);
    Remote remote = new Remote(backups);

    Map<ObjectKey, ObjectInfo> parallel =
        BackupRepository.of(remote).storedObjects(BackupId.of("b1"));

    assertThat(parallel).isEqualTo(BackupRepository.of(backups).storedObjects(BackupId.of("b1")));
    assertThat(parallel.keySet())
        .isNotEmpty()
        .noneMatch(key -> BackupRepository.isRecord(key.relativeTo(KeyPrefix.of("b1/"))));
    assertThat(remote.levels.get())
        .as("delimiter listings: the root, the node")
        .isGreaterThanOrEqualTo(2);
  }

  /** A store holding each of {@code keys} under node0/, one byte each. */
  private static InMemoryObjectStore node(Set<String> keys) throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    for (String key : keys) {
      store.write(
          ObjectKey.of("node0/" + key), ObjectContent.ofBytes(new byte[1]), WriteMode.CREATE_NEW);
    }
    return store;
  }

  @Provide
  Arbitrary<GeneratedNode> coreNodes() {
    return CoreNodeArbitraries.coreNodes();
  }

  /** {@code parallel} holds each key of one listing of {@code scope} in {@code store}, once. */
  private static void assertSameKeysAsOneListing(
      List<ObjectKey> parallel, InMemoryObjectStore store, KeyPrefix scope) throws IOException {
    Set<ObjectKey> once = new HashSet<>();
    try (ObjectIterator listing = store.list(scope)) {
      while (listing.hasNext()) {
        once.add(listing.next().key());
      }
    }
    assertThat(parallel).doesNotHaveDuplicates();
    assertThat(new HashSet<>(parallel)).isEqualTo(once);
  }

  private static void write(InMemoryObjectStore store, String key) throws IOException {
    store.write(ObjectKey.of(key), ObjectContent.ofBytes(new byte[1]), WriteMode.CREATE_NEW);
  }

  /** The tables ({@code dbs/<db>/<table>/} holding an object below) among {@code keys}. */
  private static long tables(Set<String> keys) {
    return keys.stream()
        .filter(k -> k.startsWith("dbs/") && k.split("/").length > 3)
        .map(k -> k.substring(0, k.indexOf('/', k.indexOf('/', 4) + 1)))
        .distinct()
        .count();
  }

  @Property(tries = 20)
  void parallelismOne_isOneListingOfTheScope(@ForAll("keys") Set<String> keys) throws IOException {
    InMemoryObjectStore store = node(keys);
    Remote counted = new Remote(store);
    List<ObjectKey> listed = ParallelListing.list(counted, NODE, 0, 1, ObjectInfo::key);
    assertThat(listed).hasSize(keys.size());
    assertThat(counted.levels.get()).isZero();
    assertThat(counted.wholeListings.get()).isEqualTo(1);
  }

  /** A local store has no round trips to overlap: one listing, whatever the parallelism. */
  @Property(tries = 20)
  void localStore_isOneListingOfTheScope(@ForAll("keys") Set<String> keys) throws IOException {
    InMemoryObjectStore store = node(keys);
    Remote local = new Remote(store, false);
    List<ObjectKey> listed = ParallelListing.list(local, NODE, 0, 16, ObjectInfo::key);
    assertSameKeysAsOneListing(listed, store, NODE);
    assertThat(local.levels.get()).isZero();
    assertThat(local.wholeListings.get()).isEqualTo(1);
  }

  @Provide
  Arbitrary<Set<String>> keys() {
    Arbitrary<String> name =
        Arbitraries.of("1", "2", "17", "a-3", "dbs", "dbsx", "wal", "x.parquet");
    Arbitrary<String> key =
        Arbitraries.oneOf(
            name, // directly under the node
            name.map(n -> "dbs/" + n), // directly under dbs/
            Arbitraries.of("1", "2", "3").flatMap(db -> name.map(n -> "dbs/" + db + "/" + n)),
            Arbitraries.integers()
                .between(1, 12)
                .flatMap(
                    t ->
                        name.map(
                            n ->
                                "dbs/"
                                    + (t % 3)
                                    + "/"
                                    + t
                                    + "/2026-11-30/10-00/"
                                    + n
                                    + ".parquet")),
            name.map(n -> "wal/" + n),
            name.map(n -> "dbsx/" + n + "/y"),
            name.map(n -> "catalog/v3/logs/" + n));
    return key.set().ofMinSize(1).ofMaxSize(40);
  }

  /** Says it lists remotely; counts level and whole listings and how many run at once. */
  private static final class Remote extends ForwardingObjectStore {
    final AtomicInteger levels = new AtomicInteger();
    final AtomicInteger wholeListings = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();

    /** How long a listing waits for company (a scope with one table has none to wait for). */
    private static final long COMPANY_WAIT_MILLIS = 50;

    /** Whether the store says its listings are remote; false: a counted local store. */
    private final boolean listingsRemote;

    Remote(InMemoryObjectStore store) {
      this(store, true);
    }

    Remote(InMemoryObjectStore store, boolean listingsRemote) {
      super(store);
      this.listingsRemote = listingsRemote;
    }

    @Override
    public StoreCapabilities capabilities() {
      return listingsRemote ? super.capabilities().withRemoteListing() : super.capabilities();
    }

    @Override
    public KeyLevel listLevel(KeyPrefix prefix) throws IOException {
      levels.incrementAndGet();
      return super.listLevel(prefix);
    }

    @Override
    public ObjectIterator list(KeyPrefix prefix) throws IOException {
      wholeListings.incrementAndGet();
      try {
        awaitCompany();
        return super.list(prefix);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      } finally {
        synchronized (this) {
          inFlight.decrementAndGet();
        }
      }
    }

    /**
     * A listing's round trip: it waits, up to {@link #COMPANY_WAIT_MILLIS}, until another listing
     * is in flight too. Listings the planner runs in parallel always meet here; listings run one
     * after another never do, whatever the timing.
     */
    private synchronized void awaitCompany() throws InterruptedException {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      notifyAll();
      long deadline = System.nanoTime() + COMPANY_WAIT_MILLIS * 1_000_000L;
      for (long left = COMPANY_WAIT_MILLIS; inFlight.get() < 2 && left > 0; ) {
        wait(left);
        left = (deadline - System.nanoTime()) / 1_000_000L;
      }
    }
  }
}
