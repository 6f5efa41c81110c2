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

  @Test
  void finish_fewerBytesThanDeclared_truncatedMismatchNamingKeyAndStore() throws IOException {
    WriteCheck check = WriteCheck.of(STORE, KEY, ObjectContent.ofBytes(DATA));
    check.update(DATA, 0, 3);

    assertThatThrownBy(check::finish)
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

  @Test
  void update_moreBytesThanDeclared_refusesAtOnceAsSizeMismatch() throws IOException {
    WriteCheck check = WriteCheck.of(STORE, KEY, ObjectContent.ofBytes(DATA));
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
    ObjectContent declared =
        ObjectContent.withChecksums(
            ObjectContent.ofBytes(DATA), Set.of(crc32c("other".getBytes(StandardCharsets.UTF_8))));
    WriteCheck check = WriteCheck.of(STORE, KEY, declared);
    check.update(DATA, 0, DATA.length);

    assertThat(check.declaredCrc32c()).isPresent();
    assertThatThrownBy(check::finish)
        .isInstanceOfSatisfying(
            ContentMismatchException.class, e -> assertThat(e.sizeDiffers()).isFalse())
        .hasMessageContaining("CRC32C");
  }

  @Test
  void finish_declaredCrc32cMatches_passes() throws IOException {
    ObjectContent declared =
        ObjectContent.withChecksums(ObjectContent.ofBytes(DATA), Set.of(crc32c(DATA)));
    WriteCheck check = WriteCheck.of(STORE, KEY, declared);
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
  void ofDeclared_nothingDeclared_stillChecksTheLength() throws IOException {
    WriteCheck shorter = WriteCheck.ofDeclared(STORE, KEY, ObjectContent.ofBytes(DATA));
    shorter.update(DATA, 0, 3);
    assertThatThrownBy(shorter::complete)
        .isInstanceOfSatisfying(
            ContentMismatchException.class, e -> assertThat(e.truncated()).isTrue())
        .hasMessageContaining("3 bytes");

    WriteCheck longer = WriteCheck.ofDeclared(STORE, KEY, ObjectContent.ofBytes(DATA));
    longer.update(DATA, 0, DATA.length);
    assertThatThrownBy(() -> longer.update(new byte[1], 0, 1))
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining("more than its declared " + DATA.length);
  }

  @Test
  void ofDeclared_declaredCrc32c_isComparedAndReturned() throws IOException {
    ObjectContent wrong =
        ObjectContent.withChecksums(
            ObjectContent.ofBytes(DATA), Set.of(crc32c("other".getBytes(StandardCharsets.UTF_8))));
    WriteCheck refused = WriteCheck.ofDeclared(STORE, KEY, wrong);
    refused.update(DATA, 0, DATA.length);
    assertThatThrownBy(refused::complete)
        .isInstanceOf(ContentMismatchException.class)
        .hasMessageContaining("CRC32C");

    ObjectContent right =
        ObjectContent.withChecksums(ObjectContent.ofBytes(DATA), Set.of(crc32c(DATA)));
    WriteCheck passed = WriteCheck.ofDeclared(STORE, KEY, right);
    passed.update(DATA, 0, 4);
    passed.update(DATA, 4, DATA.length - 4);
    passed.complete();
    assertThat(passed.finish()).isEqualTo(crc32c(DATA));
  }

  @Test
  void checking_ofDeclaredWithNothingDeclared_readsWholeThenEnds() throws IOException {
    InputStream checked =
        WriteCheck.ofDeclared(STORE, KEY, ObjectContent.ofBytes(DATA))
            .checking(new ByteArrayInputStream(DATA));

    assertThat(checked.readAllBytes()).isEqualTo(DATA);
    assertThat(checked.read()).isEqualTo(-1);
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

  @Test
  void checking_exactContent_readsWholeThenEnds() throws IOException {
    InputStream checked =
        WriteCheck.of(STORE, KEY, ObjectContent.ofBytes(DATA))
            .checking(new ByteArrayInputStream(DATA));

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

  private static Checksum crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return Checksum.crc32c(crc.getValue());
  }
}
