package io.influxbak.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStores;
import io.influxbak.store.WriteMode;
import io.influxbak.store.s3.testing.S3TestServers;
import io.influxbak.store.settings.InvalidStoreSettingException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Server-side encryption: every request that creates an object (PutObject, CreateMultipartUpload,
 * CopyObject) asks for it, as the SSE headers on the wire show; what S3Mock keeps of it is probed
 * through HEAD.
 */
class S3ServerSideEncryptionTest {
  private static final String KEY_ID = S3TestServers.VALID_KMS_KEY;

  /** The SSE headers of each request, by operation. */
  private static final class SseHeaders implements ExecutionInterceptor {
    final List<String[]> seen = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      seen.add(
          new String[] {
            attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
            context.httpRequest().firstMatchingHeader("x-amz-server-side-encryption").orElse(""),
            context
                .httpRequest()
                .firstMatchingHeader("x-amz-server-side-encryption-aws-kms-key-id")
                .orElse("")
          });
    }

    List<String[]> of(String operation) {
      return seen.stream().filter(s -> s[0].equals(operation)).toList();
    }
  }

  @Test
  void sseKms_everyCreatingRequestAsksForIt() throws IOException {
    Map<String, String> properties = S3TestServers.s3mockProperties();
    SseHeaders headers = new SseHeaders();
    S3Client client =
        S3StoreProvider.clientBuilder(properties)
            .overrideConfiguration(c -> c.addExecutionInterceptor(headers))
            .build();
    S3TransferSizes small = new S3TransferSizes(5 << 20, 5 << 20, 5L << 30, 5L << 30);
    try (S3ObjectStore store =
        S3ObjectStore.owning(client, S3TestServers.newBucket(properties), KeyPrefix.ROOT, small)
            .withoutConditionalCopyObject()
            .withServerSideEncryption(ServerSideEncryption.AWS_KMS, Optional.of(KEY_ID))) {
      store.write(
          ObjectKey.of("a/small"), ObjectContent.ofBytes(new byte[100]), WriteMode.CREATE_NEW);
      store.write(
          ObjectKey.of("a/large"),
          ObjectContent.ofBytes(new byte[(6 << 20) + 1]),
          WriteMode.CREATE_NEW);
      store.copy(ObjectKey.of("a/small"), ObjectKey.of("a/copy"), WriteMode.CREATE_NEW);

      for (String operation : List.of("PutObject", "CreateMultipartUpload", "CopyObject")) {
        assertThat(headers.of(operation)).as(operation).isNotEmpty();
        for (String[] request : headers.of(operation)) {
          assertThat(request[1]).as(operation).isEqualTo("aws:kms");
          assertThat(request[2]).as(operation).isEqualTo(KEY_ID);
        }
      }
      // Parts and reads carry nothing: S3 encrypts parts as their upload asked, and decrypts for
      // any caller the key allows.
      assertThat(headers.of("UploadPart")).allMatch(r -> r[1].isEmpty());
      assertThat(headers.of("GetObject")).allMatch(r -> r[1].isEmpty());

      // What the emulator keeps (probed: S3Mock 5.2.0 stores and reports the SSE headers).
      HeadObjectResponse head = client.headObject(b -> b.bucket(bucketOf(store)).key("a/copy"));
      assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
      assertThat(head.ssekmsKeyId()).isEqualTo(KEY_ID);
    }
  }

  @Test
  void unknownKmsKey_refusedNamingTheObject_nothingWritten() throws IOException {
    Map<String, String> properties = new HashMap<>(S3TestServers.s3mockProperties());
    properties.put("s3.sse-kms-key-id", "ffffffff-0000-0000-0000-000000000000");
    String bucket = S3TestServers.newBucket(properties);
    try (ObjectStore store =
        ObjectStores.open(java.net.URI.create("s3://" + bucket + "/p"), properties)) {
      assertThatThrownBy(
              () ->
                  store.write(
                      ObjectKey.of("x"), ObjectContent.ofBytes(new byte[10]), WriteMode.CREATE_NEW))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("x")
          .hasMessageContaining("KMS");
      assertThat(store.stat(ObjectKey.of("x"))).isEmpty();
    }
  }

  @Test
  void settings_sseAndKeyThroughTheProvider() throws IOException {
    Map<String, String> properties = new HashMap<>(S3TestServers.s3mockProperties());
    properties.put("s3.sse-kms-key-id", KEY_ID);
    String bucket = S3TestServers.newBucket(properties);
    try (ObjectStore store =
        ObjectStores.open(java.net.URI.create("s3://" + bucket + "/p"), properties)) {
      S3Requests requests = ((S3ObjectStore) store).requests();
      // a key alone means SSE-KMS
      assertThat(requests.encryption()).contains(ServerSideEncryption.AWS_KMS);
      assertThat(requests.kmsKeyId()).contains(KEY_ID);
    }
    properties.put("s3.sse", "aes256");
    assertThatThrownBy(
            () -> ObjectStores.open(java.net.URI.create("s3://" + bucket + "/p"), properties))
        .isInstanceOf(InvalidStoreSettingException.class)
        .hasMessageContaining("s3.sse-kms-key-id");
    properties.remove("s3.sse-kms-key-id");
    try (ObjectStore store =
        ObjectStores.open(java.net.URI.create("s3://" + bucket + "/p"), properties)) {
      assertThat(((S3ObjectStore) store).requests().encryption())
          .contains(ServerSideEncryption.AES256);
      assertThat(((S3ObjectStore) store).requests().kmsKeyId()).isEmpty();
    }
    properties.put("s3.sse", "rot13");
    assertThatThrownBy(
            () -> ObjectStores.open(java.net.URI.create("s3://" + bucket + "/p"), properties))
        .isInstanceOf(InvalidStoreSettingException.class)
        .hasMessageContaining("s3.sse");
  }

  private static String bucketOf(S3ObjectStore store) {
    return store.id().container();
  }
}
