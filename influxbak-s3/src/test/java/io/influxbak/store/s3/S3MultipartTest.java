package io.influxbak.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteMode;
import io.influxbak.store.s3.testing.RequestCounter;
import io.influxbak.store.s3.testing.S3TestServers;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Multipart uploads and copies on S3Mock, with 5 MiB parts: full-object CRC32C, bounded parts,
 * checks.
 */
class S3MultipartTest {
  private static final long PART = S3TransferSizes.MIN_PART;

  private final RequestCounter counter = new RequestCounter();
  private final Map<String, String> properties = S3TestServers.s3mockProperties();
  private final S3ObjectStore store =
      S3ObjectStore.owning(
              S3StoreProvider.clientBuilder(properties)
                  .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                  .build(),
              S3TestServers.newBucket(properties),
              KeyPrefix.of("mp"),
              new S3TransferSizes(PART, PART, PART, PART))
          .withoutConditionalCopyObject();

  @AfterEach
  void close() {
    store.close();
  }

  private static byte[] data(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static Checksum crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return Checksum.crc32c(crc.getValue());
  }

  @Test
  void upload_inParts_statGivesTheFullObjectCrc32c() throws IOException {
    byte[] bytes = data((int) (2 * PART + 777));

    ObjectInfo written =
        store.write(ObjectKey.of("big"), ObjectContent.ofBytes(bytes), WriteMode.CREATE_NEW);

    assertThat(counter.of("UploadPart"))
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.sent()).isLessThanOrEqualTo(PART));
    assertThat(store.stat(ObjectKey.of("big")).orElseThrow().checksum(ChecksumAlgorithm.CRC32C))
        .hasValue(crc32c(bytes));
    assertThat(written.size()).isEqualTo(bytes.length);
  }

  @Test
  void upload_knownCrc32cDiffers_abortsAndPublishesNothing() {
    byte[] bytes = data((int) (PART + 10));
    ObjectContent lying =
        ObjectContent.withChecksums(ObjectContent.ofBytes(bytes), Set.of(Checksum.crc32c(12345)));

    assertThatThrownBy(() -> store.write(ObjectKey.of("liar"), lying, WriteMode.CREATE_NEW))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("liar")
        .hasMessageContaining("CRC32C");
    assertThat(counter.of("AbortMultipartUpload")).hasSize(1);
  }

  @Test
  void copy_aboveTheThreshold_partCopiesServerSideWithItsCrc32c() throws IOException {
    byte[] bytes = data((int) (2 * PART + 5));
    store.write(ObjectKey.of("source"), ObjectContent.ofBytes(bytes), WriteMode.CREATE_NEW);
    counter.reset();

    ObjectInfo copied =
        store.copy(ObjectKey.of("source"), ObjectKey.of("target"), WriteMode.CREATE_NEW);

    assertThat(counter.of("UploadPartCopy")).hasSize(3);
    assertThat(counter.requests()).allSatisfy(r -> assertThat(r.received()).isZero());
    assertThat(copied.checksum(ChecksumAlgorithm.CRC32C)).hasValue(crc32c(bytes));
    try (InputStream in = store.open(ObjectKey.of("target"))) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
    assertThatThrownBy(
            () -> store.copy(ObjectKey.of("source"), ObjectKey.of("target"), WriteMode.CREATE_NEW))
        .isInstanceOf(io.influxbak.store.ObjectAlreadyExistsException.class);
  }
}
