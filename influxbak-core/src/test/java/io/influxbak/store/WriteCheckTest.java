package io.influxbak.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.store.testing.InMemoryObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WriteCheckTest {
  private static final StoreId STORE = new StoreId("memory", "checks", "");
  private static final ObjectKey KEY = ObjectKey.of("wal/00000000001.wal");
  private static final byte[] DATA = "idb3.001 wal bytes".getBytes(StandardCharsets.UTF_8);

  @Test
  void finish_exactLengthNoDeclaredChecksum_returnsCrc32cOfBytes() throws IOException {
    WriteCheck check = WriteCheck.of(STORE, KEY, ObjectContent.ofBytes(DATA));
    check.update(DATA, 0, 5);
    check.update(DATA, 5, DATA.length - 5);

    assertThat(check.finish()).isEqualTo(crc32c(DATA));
    assertThat(check.received()).isEqualTo(DATA.length);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void complete_fewerBytesThanDeclared_truncatedMismatchNamingKeyAndStore(boolean hashingAlways)
      throws IOException {
    WriteCheck check = start(hashingAlways, ObjectContent.ofBytes(DATA));
    check.update(DATA, 0, 3);

    assertThatThrownBy(check::complete)
        .isInstanceOfSatisfying(
            ContentMismatchException.class,
            e -> {
              assertThat(e.truncated()).isTrue();
              assertThat(e.key()).isEqualTo(KEY);
            })
        .hasMessageContaining(KEY.toString())
        .hasMessageContaining(STORE.toString())
        .hasMessageContaining("3 bytes");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void update_moreBytesThanDeclared_refusesAtOnceAsSizeMismatch(boolean hashingAlways)
      throws IOException {
    WriteCheck check = start(hashingAlways, ObjectContent.ofBytes(DATA));
    check.update(DATA, 0, DATA.length);

    assertThatThrownBy(() -> check.update(new byte[1], 0, 1))
        .isInstanceOfSatisfying(
            ContentMismatchException.class,
            e -> {
              assertThat(e.truncated()).isFalse();
              assertThat(e.sizeDiffers()).isTrue();
            })
        .hasMessageContaining("more than its declared " + DATA.length);
  }

  @Test
  void finish_declaredCrc32cDiffers_hashMismatch() throws IOException {
    WriteCheck check =
        WriteCheck.of(STORE, KEY, declaring(crc32c("other".getBytes(StandardCharsets.UTF_8))));
    check.update(DATA, 0, DATA.length);

    assertThat(check.declaredCrc32c()).isPresent();
    assertThatThrownBy(check::finish)
        .isInstanceOfSatisfying(
            ContentMismatchException.class, e -> assertThat(e.sizeDiffers()).isFalse())
        .hasMessageContaining("CRC32C");
  }

  @Test
  void finish_declaredCrc32cMatches_passes() throws IOException {
    WriteCheck check = WriteCheck.of(STORE, KEY, declaring(crc32c(DATA)));
    check.update(DATA, 0, DATA.length);

    assertThat(check.finish()).isEqualTo(crc32c(DATA));
  }

  @Test
  void ofDeclared_nothingDeclared_completesOnExactLengthAndRefusesToReturnAChecksum()
      throws IOException {
    WriteCheck check = WriteCheck.ofDeclared(STORE, KEY, ObjectContent.ofBytes(DATA));
    check.update(DATA, 0, DATA.length);

    check.complete();
    assertThat(check.received()).isEqualTo(DATA.length);
    assertThatThrownBy(check::finish)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(KEY.toString());
  }

  @Test
  void ofDeclared_declaredCrc32c_isComparedAndReturned() throws IOException {
    WriteCheck refused =
        WriteCheck.ofDeclared(
            STORE, KEY, declaring(crc32c("other".getBytes(StandardCharsets.UTF_8))));
    refused.update(DATA, 0, DATA.length);
    assertThatThrownBy(refused::complete)
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining("CRC32C");

    WriteCheck passed = WriteCheck.ofDeclared(STORE, KEY, declaring(crc32c(DATA)));
    passed.update(DATA, 0, 4);
    passed.update(DATA, 4, DATA.length - 4);
    passed.complete();
    assertThat(passed.finish()).isEqualTo(crc32c(DATA));
  }

  @Test
  void refuseIfPresent_createNewOnTakenKey_refusesOverwriteAllowsReplace() throws IOException {
    InMemoryObjectStore store = new InMemoryObjectStore();
    store.write(KEY, ObjectContent.ofBytes(DATA), WriteMode.CREATE_NEW);

    assertThatThrownBy(() -> WriteCheck.refuseIfPresent(store, KEY, WriteMode.CREATE_NEW))
        .isInstanceOf(ObjectAlreadyExistsException.class)
        .hasMessageContaining(KEY.toString());
    WriteCheck.refuseIfPresent(store, KEY, WriteMode.REPLACE);
    WriteCheck.refuseIfPresent(store, ObjectKey.of("absent"), WriteMode.CREATE_NEW);
  }

  @Test
  void checking_readerStopsAtDeclaredLengthOfLongerContent_failsTheLastRead() throws IOException {
    byte[] longer = "idb3.001 wal bytes and more".getBytes(StandardCharsets.UTF_8);
    ObjectContent content = ObjectContent.ofBytes(DATA); // declares DATA.length
    InputStream checked =
        WriteCheck.of(STORE, KEY, content).checking(new ByteArrayInputStream(longer));

    assertThatThrownBy(() -> checked.readNBytes(DATA.length))
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining("more than its declared");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void checking_exactContent_readsWholeThenEnds(boolean hashingAlways) throws IOException {
    InputStream checked =
        start(hashingAlways, ObjectContent.ofBytes(DATA)).checking(new ByteArrayInputStream(DATA));

    assertThat(checked.readAllBytes()).isEqualTo(DATA);
    assertThat(checked.read()).isEqualTo(-1);
  }

  @Test
  void checking_shorterContent_failsAtEndOfStream() {
    InputStream checked =
        WriteCheck.of(STORE, KEY, ObjectContent.ofBytes(DATA))
            .checking(new ByteArrayInputStream(DATA, 0, 4));

    assertThatThrownBy(checked::readAllBytes)
        .isInstanceOfSatisfying(
            ContentMismatchException.class, e -> assertThat(e.truncated()).isTrue());
  }

  @Test
  void checking_declaredCrc32cDiffers_failsOnLastByte() {
    ObjectContent declared =
        ObjectContent.withChecksums(
            ObjectContent.ofBytes(DATA), Set.of(crc32c("other".getBytes(StandardCharsets.UTF_8))));
    InputStream checked =
        WriteCheck.of(STORE, KEY, declared).checking(new ByteArrayInputStream(DATA));

    assertThatThrownBy(() -> checked.readNBytes(DATA.length))
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining("CRC32C");
  }

  /** {@link WriteCheck#of} when {@code hashingAlways}, else {@link WriteCheck#ofDeclared}. */
  private static WriteCheck start(boolean hashingAlways, ObjectContent content) {
    return hashingAlways
        ? WriteCheck.of(STORE, KEY, content)
        : WriteCheck.ofDeclared(STORE, KEY, content);
  }

  /** {@code DATA}, declaring {@code crc32c}. */
  private static ObjectContent declaring(Checksum crc32c) {
    return ObjectContent.withChecksums(ObjectContent.ofBytes(DATA), Set.of(crc32c));
  }

  private static Checksum crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return Checksum.crc32c(crc.getValue());
  }
}
