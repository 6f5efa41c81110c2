package io.influxbak.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStores;
import io.influxbak.store.WriteMode;
import io.influxbak.store.settings.InvalidStoreSettingException;
import io.influxbak.store.testing.AbstractObjectStoreContractTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SPI contract on the real file system, plus root containment and symbolic-link rules. */
class FileSystemObjectStoreTest extends AbstractObjectStoreContractTest {
  private final Path base;
  private final Path rootDirectory;
  private final FileSystemObjectStore store;

  FileSystemObjectStoreTest() throws IOException {
    base = Files.createTempDirectory("influxbak-fs-test");
    rootDirectory = Files.createDirectory(base.resolve("root"));
    store = FileSystemObjectStore.open(rootDirectory);
  }

  @AfterAll
  void cleanUp() throws IOException {
    PathUtils.deleteDirectory(base);
  }

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Test
  void write_leavesNoTemporaryFiles() throws IOException {
    write("wal/00000000001.wal", "x");
    try (var files = Files.list(rootDirectory.resolve(root().toString()).resolve("wal"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("00000000001.wal");
    }
  }

  @Test
  void open_symlinkToOutsideFile_refusedNamingKey() throws IOException {
    Path outside = Files.writeString(base.resolve("secret.txt"), "outside");
    Path dir = Files.createDirectories(rootDirectory.resolve(root().toString()));
    Files.createSymbolicLink(dir.resolve("link.wal"), outside);
    ObjectKey key = key("link.wal");

    assertThat(listKeys(root())).containsExactly(key);
    assertThatThrownBy(() -> store.open(key).close())
        .isInstanceOf(UnsafePathException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("symbolic link");
    Files.delete(dir.resolve("link.wal"));
  }

  @Test
  void write_throughSymlinkedDirectoryLeavingRoot_refusedAndNothingWrittenOutside()
      throws IOException {
    Path outside = Files.createDirectory(base.resolve("outside-" + System.nanoTime()));
    Path dir = Files.createDirectories(rootDirectory.resolve(root().toString()));
    Files.createSymbolicLink(dir.resolve("escape"), outside);
    ObjectKey key = key("escape/wal/00000000001.wal");

    assertThatThrownBy(
            () -> store.write(key, ObjectContent.ofBytes(new byte[] {1}), WriteMode.CREATE_NEW))
        .isInstanceOf(UnsafePathException.class)
        .hasMessageContaining(key.toString());
    try (var files = Files.list(outside)) {
      assertThat(files).isEmpty();
    }
    assertThatThrownBy(() -> store.open(key).close()).isInstanceOf(UnsafePathException.class);
    assertThat(store.list(root().resolvePrefix("escape")).hasNext()).isFalse();
    Files.delete(dir.resolve("escape"));
  }

  /**
   * Threads opening the files of one directory at once (a backup's copy threads do) share one check
   * of the directory: every file reads back, and a directory reached through a link is refused to
   * every thread (a refusal is never remembered as a pass).
   */
  @Test
  void open_manyThreadsInOneDirectory_allReadAndLinkedDirectoryRefusedToEach() throws Exception {
    int threads = 16;
    for (int i = 0; i < threads; i++) {
      write("dbs/1/2/f" + i, "content " + i);
    }
    Path outside = Files.createDirectory(base.resolve("linked-" + System.nanoTime()));
    Files.writeString(outside.resolve("f"), "outside");
    Path dir = Files.createDirectories(rootDirectory.resolve(root().toString()));
    Files.createSymbolicLink(dir.resolve("link"), outside);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<String>> reads = new ArrayList<>();
      List<Future<Throwable>> refusals = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        ObjectKey key = key("dbs/1/2/f" + i);
        reads.add(
            pool.submit(
                () -> {
                  start.await();
                  try (InputStream in = store.open(key)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                  }
                }));
      }
      for (int i = 0; i < threads; i++) {
        assertThat(reads.get(i).get()).isEqualTo("content " + i);
      }
      for (int i = 0; i < threads; i++) {
        refusals.add(
            pool.submit(
                () -> {
                  start.await();
                  return catchThrowable(() -> store.open(key("link/f")).close());
                }));
      }
      for (Future<Throwable> refusal : refusals) {
        assertThat(refusal.get())
            .isInstanceOf(UnsafePathException.class)
            .hasMessageContaining("symbolic link");
      }
    } finally {
      pool.shutdownNow();
      Files.delete(dir.resolve("link"));
    }
  }

  @Test
  void list_skipsOwnTemporaryFiles() throws IOException {
    Path dir = Files.createDirectories(rootDirectory.resolve(root().toString()));
    Files.writeString(dir.resolve(".influxbak-123.tmp"), "partial");
    Files.writeString(dir.resolve("real"), "data");
    assertThat(listKeys(root())).containsExactly(key("real"));
    Files.delete(dir.resolve(".influxbak-123.tmp"));
  }

  @Test
  void createdInPlace_directoriesSyncedBeforeTheNextDeleteAndAtClose() throws IOException {
    Path directory = Files.createDirectory(base.resolve("in-place"));
    FileSystemObjectStore inPlace = FileSystemObjectStore.open(directory, SyncPolicy.FSYNC);
    try {
      inPlace.write(key("marker"), content("m"), WriteMode.CREATE_NEW);
      inPlace.write(key("dbs/a.parquet"), content("a"), WriteMode.CREATE_IN_CLAIMED_ROOT);
      assertThat(inPlace.hasUnsyncedDirectories()).as("after a write in place").isTrue();
      inPlace.delete(key("marker")); // as a restore publishes its objects
      assertThat(inPlace.hasUnsyncedDirectories()).as("after the delete").isFalse();
      inPlace.write(key("dbs/b.parquet"), content("b"), WriteMode.CREATE_IN_CLAIMED_ROOT);
      assertThat(inPlace.hasUnsyncedDirectories()).as("after another write in place").isTrue();
    } finally {
      inPlace.close(); // as an engine task ends its copies
    }
    assertThat(inPlace.hasUnsyncedDirectories()).as("after close").isFalse();
    assertThat(directory.resolve(root().toString()).resolve("dbs/b.parquet")).hasContent("b");
  }

  @Test
  void replaceInClaimedRoot_createsAnAbsentFileInPlace_replacesAPresentOneWhole()
      throws IOException {
    Path directory = Files.createDirectory(base.resolve("resumed"));
    Path dbs = Files.createDirectories(directory.resolve(root().toString()).resolve("dbs"));
    Path leftover = Files.writeString(dbs.resolve("a.parquet"), "par"); // an interrupted run's
    Object leftoverFile = Files.readAttributes(leftover, BasicFileAttributes.class).fileKey();
    FileSystemObjectStore resumed = FileSystemObjectStore.open(directory, SyncPolicy.FSYNC);
    try {
      resumed.write(key("dbs/a.parquet"), content("parquet"), WriteMode.REPLACE_IN_CLAIMED_ROOT);
      assertThat(leftover).hasContent("parquet");
      assertThat(Files.readAttributes(leftover, BasicFileAttributes.class).fileKey())
          .as("a staged file renamed over the leftover, not the leftover written again")
          .isNotEqualTo(leftoverFile);
      assertThat(resumed.hasUnsyncedDirectories()).as("after the replacement").isFalse();
      resumed.write(key("dbs/b.parquet"), content("b"), WriteMode.REPLACE_IN_CLAIMED_ROOT);
      assertThat(resumed.hasUnsyncedDirectories()).as("after a write in place").isTrue();
    } finally {
      resumed.close();
    }
    assertThat(dbs.resolve("b.parquet")).hasContent("b");
    try (Stream<Path> files = Files.list(dbs)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("no temporary file left")
          .containsExactlyInAnyOrder("a.parquet", "b.parquet");
    }
  }

  /**
   * A write in place that fails removes the partial file it created, and only that: here another
   * writer (as an engine task's later attempt does while the first still runs) puts its whole
   * object under the name part-way through, and the failing write must leave it. Cloud stores
   * publish a write only when it completes, so the contract suite holds no such case.
   */
  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"CREATE_IN_CLAIMED_ROOT", "REPLACE_IN_CLAIMED_ROOT"})
  void writeInPlace_failingAfterAnotherWriterReplacedIt_keepsTheOthersObject(WriteMode mode) {
    ObjectKey key = key("dbs/raced.parquet");
    Path file = rootDirectory.resolve(key.toString());
    ObjectContent failing =
        failingAfter(
            100,
            () -> {
              assertThat(file).as("the failing write's own file, in place").exists();
              store.write(key, content("theirs"), WriteMode.REPLACE);
            });

    assertThatThrownBy(() -> store.write(key, failing, mode))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("simulated source failure");
    assertThat(file).as("the other writer's object").hasContent("theirs");
  }

  @Test
  void delete_removesEmptyParentDirectoriesButNotRoot() throws IOException {
    write("a/b/c/file", "x");
    store.delete(key("a/b/c/file"));
    assertThat(rootDirectory.resolve(root().toString())).doesNotExist();
    assertThat(rootDirectory).isDirectory();
  }

  @Test
  void objectStores_openFileUri_findsProviderByServiceLoader() throws IOException {
    try (ObjectStore opened = ObjectStores.open(rootDirectory.toUri(), Map.of("fs.sync", "none"))) {
      assertThat(opened).isInstanceOf(FileSystemObjectStore.class);
      assertThat(opened.id().container()).isEqualTo(rootDirectory.toRealPath().toString());
    }
  }

  @Test
  void provider_invalidSyncSetting_rejectedNamingSetting() {
    assertThatThrownBy(
            () -> ObjectStores.open(rootDirectory.toUri(), Map.of("fs.sync", "sometimes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fs.sync");
  }

  @Test
  void provider_fileUriWithoutAnAbsolutePath_refusedNamingIt() {
    for (String location : new String[] {"file:data", "file://host/data"}) {
      assertThatThrownBy(() -> ObjectStores.open(java.net.URI.create(location), Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Invalid file store location " + location)
          .hasMessageContaining("file:///path");
    }
  }

  @Test
  void provider_misspelledSetting_refusedNamingNearestKnownKey() {
    assertThatThrownBy(
            () -> ObjectStores.open(rootDirectory.toUri(), Map.of("fs.ownr", "nobody:nogroup")))
        .isInstanceOf(InvalidStoreSettingException.class)
        .hasMessageContaining("did you mean 'fs.owner'?")
        .hasMessageContaining("Known settings: fs.owner, fs.sync");
  }

  @Test
  void objectStores_keyUnderNoProvidersPrefix_refusedNamingPrefixes() {
    // On this class path only the file provider is present: an s3. key is as unknown as a bare one.
    assertThatThrownBy(() -> ObjectStores.open(rootDirectory.toUri(), Map.of("regoin", "x")))
        .isInstanceOf(InvalidStoreSettingException.class)
        .hasMessageContaining("Unknown store setting 'regoin'")
        .hasMessageContaining("fs.");
  }

  @Test
  void ownership_appliedToCreatedFilesAndDirectoriesOnlyWhenAsked() throws IOException {
    ObjectKey key = key("owned/wal/00000000001.wal");
    try (ObjectStore owned =
        ObjectStores.open(rootDirectory.toUri(), Map.of("fs.owner", "nobody:nogroup"))) {
      owned.write(key, ObjectContent.ofBytes(new byte[] {1}), WriteMode.CREATE_NEW);
    }
    Path file = rootDirectory.resolve(key.toString());
    assertThat(Files.getOwner(file).getName()).isEqualTo("nobody");
    assertThat(
            Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class)
                .group()
                .getName())
        .isEqualTo("nogroup");
    assertThat(Files.getOwner(file.getParent()).getName()).isEqualTo("nobody");
    write("plain", "x");
    assertThat(Files.getOwner(rootDirectory.resolve(key("plain").toString())).getName())
        .isEqualTo(Files.getOwner(rootDirectory).getName());
    assertThatThrownBy(() -> ObjectStores.open(rootDirectory.toUri(), Map.of("fs.owner", "nobody")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("user:group");
  }

  @Test
  void open_missingRoot_fails() {
    assertThatThrownBy(() -> FileSystemObjectStore.open(base.resolve("does-not-exist")))
        .isInstanceOf(java.nio.file.NoSuchFileException.class)
        .hasMessageContaining("does-not-exist");
  }

  @Test
  void write_percentEncodedDotDotSegment_staysInsideRoot() throws IOException {
    ObjectKey key = key("dbs/%2E%2E-1/t-2/f.parquet");
    store.write(key, content("p"), WriteMode.CREATE_NEW);
    assertThat(rootDirectory.resolve(key.toString())).exists();
    assertThat(KeyPrefix.of(root().toString()).contains(key.parent())).isTrue();
  }
}
