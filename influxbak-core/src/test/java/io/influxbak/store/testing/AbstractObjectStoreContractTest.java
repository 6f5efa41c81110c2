package io.influxbak.store.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import com.google.common.hash.Hashing;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ContentMismatchException;
import io.influxbak.store.KeyLevel;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectAlreadyExistsException;
import io.influxbak.store.ObjectChangedException;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectLockedException;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.apache.commons.io.IOUtils;
import org.apache.commons.io.input.BoundedInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link ObjectStore} contract, run by every adapter against a real server (or the real file
 * system). Subclass once per server; override a case only to assert an emulator's known failure,
 * with a comment naming the emulator, its version and what it lacks. Every test works under a fresh
 * random prefix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractObjectStoreContractTest {
  private KeyPrefix root;

  /** The store under test, opened once per class against the running server. */
  protected abstract ObjectStore store();

  /**
   * How many objects the pagination test lists; adapters that can lower their page size should do
   * so (for example to 10) so that this spans several pages cheaply.
   */
  protected int paginationObjectCount() {
    return 25;
  }

  /**
   * Size of the object the streaming test writes and reads; adapters set it above their multipart
   * size.
   */
  protected long largeObjectSize() {
    return 6L * 1024 * 1024 + 123;
  }

  /** A fresh prefix for the current test. */
  protected final KeyPrefix root() {
    return root;
  }

  /** A key under the current test's prefix. */
  protected final ObjectKey key(String relative) {
    return root.resolve(relative);
  }

  @BeforeEach
  void freshPrefix() throws IOException {
    root = KeyPrefix.of("contract-" + UUID.randomUUID());
    assertThat(listKeys(root)).isEmpty();
  }

  @AfterEach
  void deletePrefix() throws IOException {
    for (ObjectKey key : listKeys(root)) {
      store().delete(key);
    }
  }

  @Test
  public void write_thenStatAndList_reportSizeAndNativeChecksums() throws IOException {
    byte[] data = "hello influxbak".getBytes(StandardCharsets.UTF_8);
    ObjectKey key = key("a/hello.bin");

    ObjectInfo written = store().write(key, ObjectContent.ofBytes(data), WriteMode.CREATE_NEW);

    assertThat(written.key()).isEqualTo(key);
    assertThat(written.size()).isEqualTo(data.length);
    ObjectInfo stat = store().stat(key).orElseThrow();
    assertThat(stat.size()).isEqualTo(data.length);
    assertThat(stat.checksums())
        .allSatisfy(
            checksum -> assertThat(checksum).isEqualTo(expected(checksum.algorithm(), data)));
    assertThat(stat.checksums().stream().map(Checksum::algorithm))
        .containsAll(store().capabilities().statChecksums());
    ObjectInfo listed = list(root).get(0);
    assertThat(listed.key()).isEqualTo(key);
    assertThat(listed.size()).isEqualTo(data.length);
    assertThat(listed.checksums())
        .allSatisfy(
            checksum -> assertThat(checksum).isEqualTo(expected(checksum.algorithm(), data)));
    assertThat(listed.checksums().stream().map(Checksum::algorithm))
        .containsAll(store().capabilities().listingChecksums());
    assertThat(read(key)).isEqualTo(data);
  }

  @Test
  public void write_emptyObject_roundTrips() throws IOException {
    ObjectKey key = key("empty.wal");
    store().write(key, ObjectContent.ofBytes(new byte[0]), WriteMode.CREATE_NEW);
    assertThat(store().stat(key).orElseThrow().size()).isZero();
    assertThat(read(key)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"CREATE_NEW", "CREATE_IN_CLAIMED_ROOT"})
  public void write_createNewOnExistingKey_throwsAndKeepsOriginal(WriteMode create)
      throws IOException {
    ObjectKey key = key("wal/00000000001.wal");
    store().write(key, ObjectContent.ofBytes(bytes("first")), create);

    assertThatThrownBy(() -> store().write(key, ObjectContent.ofBytes(bytes("second!")), create))
        .isInstanceOf(ObjectAlreadyExistsException.class)
        .hasMessageContaining(key.toString());
    assertThat(read(key)).isEqualTo(bytes("first"));
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"REPLACE", "REPLACE_IN_CLAIMED_ROOT"})
  public void write_replace_overwritesExisting(WriteMode replace) throws IOException {
    ObjectKey key = key("catalog/v2/snapshot");
    store().write(key, ObjectContent.ofBytes(bytes("old")), WriteMode.CREATE_NEW);
    ObjectInfo written = store().write(key, ObjectContent.ofBytes(bytes("newer")), replace);
    assertThat(read(key)).isEqualTo(bytes("newer"));
    assertThat(store().stat(key).orElseThrow().size()).isEqualTo(5);
    assertThat(store().stat(key).orElseThrow().etag()).isEqualTo(written.etag());
  }

  @Test
  public void write_replaceInClaimedRoot_createsAnAbsentObject() throws IOException {
    ObjectKey key = key("dbs/0/0/2026-11-30/00-00/0000000001.parquet");
    ObjectInfo written =
        store()
            .write(key, ObjectContent.ofBytes(bytes("parquet")), WriteMode.REPLACE_IN_CLAIMED_ROOT);
    assertThat(read(key)).isEqualTo(bytes("parquet"));
    assertThat(written.size()).isEqualTo(7);
    assertThat(store().stat(key).orElseThrow().etag()).isEqualTo(written.etag());
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"CREATE_NEW", "CREATE_IN_CLAIMED_ROOT"})
  public void write_concurrentCreateNew_exactlyOneWins(WriteMode create) throws Exception {
    ObjectKey key = key("race");
    int threads = 6;
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> outcomes = new ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        byte[] data = bytes("writer-" + i);
        Callable<Boolean> attempt =
            () -> {
              start.await();
              try {
                store().write(key, ObjectContent.ofBytes(data), create);
                return true;
              } catch (ObjectAlreadyExistsException e) {
                return false;
              }
            };
        outcomes.add(executor.submit(attempt));
      }
      start.countDown();
      int winners = 0;
      for (Future<Boolean> outcome : outcomes) {
        winners += outcome.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      executor.shutdownNow();
    }
    assertThat(new String(read(key), StandardCharsets.UTF_8)).startsWith("writer-");
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"CREATE_NEW", "CREATE_IN_CLAIMED_ROOT"})
  public void write_returnsTheVersionStatReports(WriteMode create) throws IOException {
    ObjectInfo written = store().write(key("v"), content("one"), create);
    assertThat(written.etag()).isPresent();
    assertThat(store().stat(key("v")).orElseThrow().etag()).isEqualTo(written.etag());
    ObjectInfo replaced = store().write(key("v"), content("two"), WriteMode.REPLACE);
    assertThat(replaced.etag()).isPresent().isNotEqualTo(written.etag());
    assertThat(store().stat(key("v")).orElseThrow().etag()).isEqualTo(replaced.etag());
  }

  @Test
  public void replaceIfVersion_atTheVersionRead_replacesWithANewVersion() throws IOException {
    String first = store().write(key("lease"), content("one"), WriteMode.CREATE_NEW).etag().get();
    ObjectInfo replaced = store().replaceIfVersion(key("lease"), content("two!"), first);
    assertThat(text("lease")).isEqualTo("two!");
    assertThat(replaced.size()).isEqualTo(4);
    assertThat(replaced.etag()).isPresent().isNotEqualTo(Optional.of(first));
    assertThat(store().stat(key("lease")).orElseThrow().etag()).isEqualTo(replaced.etag());
    // and again from the version just written, as a renewal does
    store().replaceIfVersion(key("lease"), content("three"), replaced.etag().get());
    assertThat(text("lease")).isEqualTo("three");
  }

  @Test
  public void replaceIfVersion_afterAnotherWrite_failsAndKeepsTheOther() throws IOException {
    String first = store().write(key("lease"), content("one"), WriteMode.CREATE_NEW).etag().get();
    store().write(key("lease"), content("other"), WriteMode.REPLACE);
    assertThatThrownBy(() -> store().replaceIfVersion(key("lease"), content("mine"), first))
        .isInstanceOf(ObjectChangedException.class)
        .hasMessageContaining(key("lease").toString());
    assertThat(text("lease")).isEqualTo("other");
  }

  @Test
  public void replaceIfVersion_ofAnAbsentObject_failsAndCreatesNothing() throws IOException {
    String version = store().write(key("gone"), content("one"), WriteMode.CREATE_NEW).etag().get();
    store().delete(key("gone"));
    assertThatThrownBy(() -> store().replaceIfVersion(key("gone"), content("mine"), version))
        .isInstanceOf(ObjectChangedException.class);
    assertThat(store().stat(key("gone"))).isEmpty();
  }

  @Test
  public void replaceIfVersion_concurrentTakeovers_exactlyOneWins() throws Exception {
    List<Integer> winners = raceConditionalReplaces(6);
    assertThat(winners).hasSize(1);
    assertThat(text("lease")).isEqualTo("taker-" + winners.get(0));
  }

  /**
   * Writes {@code lease}, then has {@code racers} threads replace it at once on the version
   * written, each with its own content ({@code taker-<i>}); every racer either wins or is refused
   * with {@link ObjectChangedException}.
   *
   * @return the racers that won
   */
  protected final List<Integer> raceConditionalReplaces(int racers) throws Exception {
    String first = store().write(key("lease"), content("held"), WriteMode.CREATE_NEW).etag().get();
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        String content = "taker-" + i;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    store().replaceIfVersion(key("lease"), content(content), first);
                    return true;
                  } catch (ObjectChangedException e) {
                    return false;
                  }
                }));
      }
      start.countDown();
      List<Integer> winners = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        if (results.get(i).get(60, TimeUnit.SECONDS)) {
          winners.add(i);
        }
      }
      return winners;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void deleteIfVersion_atTheVersionRead_deletes() throws IOException {
    String version = store().write(key("lease"), content("one"), WriteMode.CREATE_NEW).etag().get();
    store().deleteIfVersion(key("lease"), version);
    assertThat(store().stat(key("lease"))).isEmpty();
  }

  @Test
  public void deleteIfVersion_afterAnotherWrite_failsAndKeeps() throws IOException {
    String first = store().write(key("lease"), content("one"), WriteMode.CREATE_NEW).etag().get();
    store().write(key("lease"), content("other"), WriteMode.REPLACE);
    assertThatThrownBy(() -> store().deleteIfVersion(key("lease"), first))
        .isInstanceOf(ObjectChangedException.class)
        .hasMessageContaining(key("lease").toString());
    assertThat(text("lease")).isEqualTo("other");
    store().delete(key("lease"));
    // Absent: nothing to delete; S3 answers a delete of a missing key with success.
    try {
      store().deleteIfVersion(key("lease"), first);
    } catch (ObjectChangedException expected) {
      // the other answer stores give
    }
    assertThat(store().stat(key("lease"))).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"CREATE_NEW", "CREATE_IN_CLAIMED_ROOT"})
  public void write_streamFailsPartWay_publishesNothing(WriteMode create) {
    ObjectKey key = key("broken.parquet");
    ObjectContent failing = failingAfter(100, () -> {});

    assertThatThrownBy(() -> store().write(key, failing, create)).isInstanceOf(IOException.class);
    assertThat(stat(key)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"CREATE_NEW", "CREATE_IN_CLAIMED_ROOT"})
  public void write_contentShorterThanDeclared_publishesNothing(WriteMode create) {
    ObjectKey key = key("short.wal");
    ObjectContent shorter =
        new ObjectContent() {
          @Override
          public long length() {
            return 10;
          }

          @Override
          public InputStream openStream() {
            return new java.io.ByteArrayInputStream(new byte[4]);
          }
        };

    assertThatThrownBy(() -> store().write(key, shorter, create))
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining(key.toString());
    assertThat(stat(key)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"CREATE_NEW", "CREATE_IN_CLAIMED_ROOT"})
  public void write_contentLongerThanDeclared_contentMismatchPublishesNothing(WriteMode create) {
    ObjectKey key = key("long.wal");
    ObjectContent longer =
        new ObjectContent() {
          @Override
          public long length() {
            return 4;
          }

          @Override
          public InputStream openStream() {
            return new java.io.ByteArrayInputStream(new byte[10]);
          }
        };

    assertThatThrownBy(() -> store().write(key, longer, create))
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining(key.toString());
    assertThat(stat(key)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"CREATE_NEW", "CREATE_IN_CLAIMED_ROOT"})
  public void write_declaredChecksumWrong_contentMismatchPublishesNothing(WriteMode create) {
    byte[] data = bytes("declared checksum");
    ObjectKey key = key("declared-wrong");
    ObjectContent content =
        ObjectContent.withChecksums(
            ObjectContent.ofBytes(data),
            java.util.Set.of(expected(ChecksumAlgorithm.CRC32C, bytes("other bytes"))));

    assertThatThrownBy(() -> store().write(key, content, create))
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining(key.toString());
    assertThat(stat(key)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"CREATE_NEW", "CREATE_IN_CLAIMED_ROOT"})
  public void write_largeObject_streamsAndRoundTrips(WriteMode create) throws IOException {
    ObjectKey key = key("dbs/1/2/2026-09-07/18-50/0000000015.parquet");
    long size = largeObjectSize();
    ObjectContent content =
        new ObjectContent() {
          @Override
          public long length() {
            return size;
          }

          @Override
          public InputStream openStream() throws IOException {
            return BoundedInputStream.builder()
                .setInputStream(new SeededStream(42))
                .setMaxCount(size)
                .get();
          }
        };
    byte[] expected;
    try (InputStream in = content.openStream()) {
      expected = IOUtils.toByteArray(in);
    }

    store().write(key, content, create);

    assertThat(store().stat(key).orElseThrow().size()).isEqualTo(size);
    assertThat(Hashing.sha256().hashBytes(read(key)))
        .isEqualTo(Hashing.sha256().hashBytes(expected));
  }

  @Test
  public void write_declaredChecksumMatches_succeeds() throws IOException {
    byte[] data = bytes("declared checksum");
    ObjectKey key = key("declared");
    ObjectContent content =
        ObjectContent.withChecksums(
            ObjectContent.ofBytes(data),
            java.util.Set.of(expected(ChecksumAlgorithm.CRC32C, data)));
    store().write(key, content, WriteMode.CREATE_NEW);
    assertThat(read(key)).isEqualTo(data);
  }

  @Test
  public void openStatCopy_missingObject_notFoundNamingKey() throws IOException {
    ObjectKey key = key("missing/00000000009.wal");

    assertThat(store().stat(key)).isEmpty();
    assertThatThrownBy(() -> store().open(key).close())
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessageContaining(key.toString());
    assertThatThrownBy(() -> store().copy(key, key("target"), WriteMode.CREATE_NEW))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessageContaining(key.toString());
    assertThat(stat(key("target"))).isEmpty();
  }

  @Test
  public void list_prefix_returnsOnlyKeysUnderIt() throws IOException {
    write("a/b/c", "1");
    write("a/d", "2");
    write("a-b/x", "3");
    write("ab", "4");

    assertThat(listKeys(root.resolvePrefix("a")))
        .containsExactlyInAnyOrder(key("a/b/c"), key("a/d"));
    assertThat(listKeys(root.resolvePrefix("a/b"))).containsExactly(key("a/b/c"));
    assertThat(listKeys(root.resolvePrefix("nothing-here"))).isEmpty();
    assertThat(listKeys(root))
        .containsExactlyInAnyOrder(key("a/b/c"), key("a/d"), key("a-b/x"), key("ab"));
  }

  @Test
  public void list_rootPrefix_includesTestObjects() throws IOException {
    write("visible-from-root", "x");
    assertThat(listKeys(KeyPrefix.ROOT)).contains(key("visible-from-root"));
  }

  @Test
  public void listLevel_givesTheObjectsDirectlyUnderAndTheNextPrefixes() throws IOException {
    write("lv/x", "1");
    write("lv/y/z", "22");
    write("lv/y/w", "3");
    write("lv/q/r/s", "4");
    write("lv-other/t", "5");
    for (int i = 0; i < paginationObjectCount(); i++) {
      write("lv/many-" + i, "n");
    }
    KeyLevel level = store().listLevel(root.resolvePrefix("lv"));

    List<ObjectKey> direct = level.objects().stream().map(ObjectInfo::key).toList();
    assertThat(direct).hasSize(1 + paginationObjectCount()).contains(key("lv/x"), key("lv/many-0"));
    assertThat(level.objects().stream().filter(o -> o.key().equals(key("lv/x"))))
        .singleElement()
        .satisfies(o -> assertThat(o.size()).isEqualTo(1));
    assertThat(level.prefixes())
        .containsExactlyInAnyOrder(root.resolvePrefix("lv/y"), root.resolvePrefix("lv/q"));
    // Together they cover the listing: each key directly under, or under a deeper prefix.
    assertThat(listKeys(root.resolvePrefix("lv")))
        .allMatch(
            k ->
                direct.contains(k)
                    || level.prefixes().stream()
                        .anyMatch(p -> k.toString().startsWith(p.toString())));
    assertThat(store().listLevel(root.resolvePrefix("nothing-here")).objects()).isEmpty();
  }

  @Test
  public void childPrefixes_giveTheFirstSegmentsWithObjectsUnderThem() throws IOException {
    write("a/x", "1");
    write("a/y/z", "2");
    write("b/c/d/e", "3");
    write("top-level", "4");
    for (int i = 0; i < paginationObjectCount(); i++) {
      write("many/" + i, "n");
    }

    assertThat(store().childPrefixes(root()))
        .containsExactlyInAnyOrder(
            root().resolvePrefix("a"), root().resolvePrefix("b"), root().resolvePrefix("many"));
    assertThat(store().childPrefixes(root().resolvePrefix("a")))
        .containsExactly(root().resolvePrefix("a/y"));
    assertThat(store().childPrefixes(root().resolvePrefix("nothing-here"))).isEmpty();
  }

  @Test
  public void list_manyObjects_spansPagesWithoutDuplicates() throws IOException {
    int count = paginationObjectCount();
    List<ObjectKey> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ObjectKey key = key(String.format("wal/%011d.wal", i));
      store().write(key, ObjectContent.ofBytes(bytes("wal " + i)), WriteMode.CREATE_NEW);
      expected.add(key);
    }
    assertThat(listKeys(root.resolvePrefix("wal")))
        .hasSize(count)
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  public void copy_createsIdenticalObject() throws IOException {
    byte[] data = bytes("parquet bytes");
    ObjectKey source = key("src/file.parquet");
    ObjectKey target = key("dst/file.parquet");
    ObjectInfo original = store().write(source, ObjectContent.ofBytes(data), WriteMode.CREATE_NEW);

    ObjectInfo copied = store().copy(source, target, WriteMode.CREATE_NEW);

    assertThat(copied.size()).isEqualTo(original.size());
    assertThat(read(target)).isEqualTo(data);
    assertThat(read(source)).isEqualTo(data);
    assertThat(store().stat(target).orElseThrow().checksums())
        .allSatisfy(
            checksum -> assertThat(checksum).isEqualTo(expected(checksum.algorithm(), data)));
  }

  @Test
  public void copy_createNewOntoExisting_throwsAndKeepsTarget() throws IOException {
    ObjectKey source = key("src");
    ObjectKey target = key("dst");
    write("src", "source");
    write("dst", "target");

    assertThatThrownBy(() -> store().copy(source, target, WriteMode.CREATE_NEW))
        .isInstanceOf(ObjectAlreadyExistsException.class)
        .hasMessageContaining(target.toString());
    assertThat(read(target)).isEqualTo(bytes("target"));
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"REPLACE", "REPLACE_IN_CLAIMED_ROOT"})
  public void copy_replace_overwritesTarget(WriteMode replace) throws IOException {
    write("src", "source");
    write("dst", "target");
    store().copy(key("src"), key("dst"), replace);
    assertThat(read(key("dst"))).isEqualTo(bytes("source"));
  }

  @Test
  public void delete_isIdempotentAndRemoves() throws IOException {
    write("gone", "x");
    store().delete(key("gone"));
    store().delete(key("gone"));
    store().delete(key("never-existed"));
    assertThat(stat(key("gone"))).isEmpty();
    assertThat(listKeys(root)).isEmpty();
  }

  @Test
  public void keys_awkwardCharacters_roundTrip() throws IOException {
    List<String> names =
        ImmutableList.of(
            "dbs/my db-1/cpu=load-2/2026-09-07/18-20/0000000006.parquet",
            "dbs/%2E%2E-3/t%25x-4/f.parquet",
            "dbs/métriques-5/温度-6/f.parquet",
            "dbs/a+b&c@d-7/t,u;v-8/f.parquet");
    for (String name : names) {
      write(name, name);
    }
    for (String name : names) {
      assertThat(new String(read(key(name)), StandardCharsets.UTF_8)).isEqualTo(name);
    }
    assertThat(listKeys(root))
        .containsExactlyInAnyOrderElementsOf(names.stream().map(this::key).toList());
  }

  /**
   * Whether the test server refuses to delete or replace a locked object, as every cloud store
   * does; a server that keeps locks but does not enforce them overrides this with a comment naming
   * it.
   */
  protected boolean serverEnforcesLocks() {
    return true;
  }

  @Test
  public void lockOf_objectNeverLocked_isEmpty_missingObject_isNotFound() throws IOException {
    write("plain.txt", "plain");

    assertThat(store().lockOf(key("plain.txt"))).isEmpty();
    assertThatThrownBy(() -> store().lockOf(key("absent.txt")))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessageContaining("absent.txt");
    if (!store().capabilities().objectLocks()) {
      assertThatThrownBy(
              () ->
                  store()
                      .lock(
                          key("plain.txt"),
                          new ObjectLock(
                              ObjectLock.Mode.GOVERNANCE, Instant.now().plusSeconds(60))))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  public void lock_isReported_andOnlyEverExtended() throws Exception {
    Assumptions.assumeTrue(store().capabilities().objectLocks(), "the store has no object locks");
    write("locked.txt", "locked");
    ObjectKey key = key("locked.txt");
    Instant until = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);

    store().lock(key, new ObjectLock(ObjectLock.Mode.GOVERNANCE, until));
    assertThat(store().lockOf(key)).contains(new ObjectLock(ObjectLock.Mode.GOVERNANCE, until));
    store().lock(key, new ObjectLock(ObjectLock.Mode.GOVERNANCE, until.minusSeconds(2)));
    assertThat(store().lockOf(key)).contains(new ObjectLock(ObjectLock.Mode.GOVERNANCE, until));
    store().lock(key, new ObjectLock(ObjectLock.Mode.GOVERNANCE, until.plusSeconds(1)));
    assertThat(store().lockOf(key))
        .contains(new ObjectLock(ObjectLock.Mode.GOVERNANCE, until.plusSeconds(1)));
    assertThatThrownBy(
            () ->
                store().lock(key("absent.txt"), new ObjectLock(ObjectLock.Mode.GOVERNANCE, until)))
        .isInstanceOf(ObjectNotFoundException.class);

    deleteOnceUnlocked(key, until.plusSeconds(1)); // so that the prefix can be cleaned up
  }

  @Test
  public void lockedObject_isNeitherDeletedNorReplaced_untilTheLockHasPassed() throws Exception {
    Assumptions.assumeTrue(store().capabilities().objectLocks(), "the store has no object locks");
    Assumptions.assumeTrue(serverEnforcesLocks(), "the test server does not enforce locks");
    write("locked.txt", "locked");
    ObjectKey key = key("locked.txt");
    Instant until = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
    store().lock(key, new ObjectLock(ObjectLock.Mode.GOVERNANCE, until));

    assertThatThrownBy(() -> store().delete(key))
        .isInstanceOf(ObjectLockedException.class)
        .hasMessageContaining("locked.txt");
    assertThatThrownBy(() -> store().write(key, content("other"), WriteMode.REPLACE))
        .isInstanceOf(ObjectLockedException.class);
    assertThat(text("locked.txt")).isEqualTo("locked");

    deleteOnceUnlocked(key, until);
    assertThat(stat(key)).isEmpty();
  }

  /**
   * Deletes {@code key} as soon as the store accepts it, asking again while it refuses the lock
   * (for at most 10 s after {@code until}); on a store that enforces locks, asserts that no delete
   * was accepted before {@code until}.
   */
  private void deleteOnceUnlocked(ObjectKey key, Instant until) throws Exception {
    Instant deadline = until.plusSeconds(10);
    while (true) {
      try {
        store().delete(key);
        if (serverEnforcesLocks()) {
          assertThat(Instant.now()).as("deleted while locked").isAfterOrEqualTo(until);
        }
        return;
      } catch (ObjectLockedException stillLocked) {
        assertThat(Instant.now()).as("still locked, %s after its lock", key).isBefore(deadline);
        Thread.sleep(100); // the store's clock decides; ask it again shortly
      }
    }
  }

  @Test
  public void id_containsNoSecrets() {
    String id = store().id().toString();
    assertThat(id)
        .doesNotContainIgnoringCase("secret")
        .doesNotContainIgnoringCase("accountkey")
        .doesNotContain("sig=");
  }

  /** Reads a whole object. */
  protected final byte[] read(ObjectKey key) throws IOException {
    try (InputStream in = store().open(key)) {
      return IOUtils.toByteArray(in);
    }
  }

  /** Writes a UTF-8 string under the test prefix. */
  protected final void write(String relative, String content) throws IOException {
    store().write(key(relative), ObjectContent.ofBytes(bytes(content)), WriteMode.CREATE_NEW);
  }

  /** Lists every object under a prefix. */
  protected final List<ObjectInfo> list(KeyPrefix prefix) throws IOException {
    List<ObjectInfo> listed = new ArrayList<>();
    try (ObjectIterator iterator = store().list(prefix)) {
      while (iterator.hasNext()) {
        listed.add(iterator.next());
      }
    }
    return listed;
  }

  /** Lists the keys under a prefix. */
  protected final List<ObjectKey> listKeys(KeyPrefix prefix) throws IOException {
    return list(prefix).stream().map(ObjectInfo::key).toList();
  }

  private Optional<ObjectInfo> stat(ObjectKey key) {
    try {
      return store().stat(key);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** What a test runs when a source fails. */
  @FunctionalInterface
  protected interface AtFailure {
    void run() throws IOException;
  }

  /**
   * Content of a declared 1,000 bytes whose stream serves {@code bytes} of them, runs {@code
   * atFailure} once, and then fails every read with "simulated source failure".
   */
  protected static ObjectContent failingAfter(int bytes, AtFailure atFailure) {
    return new ObjectContent() {
      @Override
      public long length() {
        return 1000;
      }

      @Override
      public InputStream openStream() {
        return new InputStream() {
          private int served;

          @Override
          public int read() throws IOException {
            if (served == bytes) {
              atFailure.run();
            }
            if (served++ >= bytes) {
              throw new IOException("simulated source failure");
            }
            return 'x';
          }
        };
      }
    };
  }

  /** A UTF-8 string as content to write. */
  protected static ObjectContent content(String text) {
    return ObjectContent.ofBytes(bytes(text));
  }

  protected final String text(String relative) throws IOException {
    return new String(read(key(relative)), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The checksum influxbak would compute for {@code data}. */
  protected static Checksum expected(ChecksumAlgorithm algorithm, byte[] data) {
    switch (algorithm) {
      case CRC32C:
        CRC32C crc = new CRC32C();
        crc.update(data);
        return Checksum.crc32c(crc.getValue());
      case MD5:
        return Checksum.of(algorithm, InMemoryObjectStore.md5(data));
      case SHA256:
        return Checksum.of(algorithm, Hashing.sha256().hashBytes(data).asBytes());
    }
    throw new AssertionError(algorithm);
  }

  /** An endless deterministic byte stream. */
  private static final class SeededStream extends InputStream {
    private final Random random;

    SeededStream(long seed) {
      this.random = new Random(seed);
    }

    @Override
    public int read() {
      return random.nextInt(256);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      byte[] chunk = new byte[length];
      random.nextBytes(chunk);
      System.arraycopy(chunk, 0, buffer, offset, length);
      return length;
    }
  }
}
