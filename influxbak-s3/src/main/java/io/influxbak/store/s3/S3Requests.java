package io.influxbak.store.s3;

import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * How an {@link S3ObjectStore} shapes its requests: listing page size, whether CopyObject honours
 * {@code If-None-Match}, the deadline of requests that move no data, and the server-side encryption
 * every request that creates an object asks for.
 *
 * @param encryption SSE-S3 ({@code AES256}), SSE-KMS ({@code aws:kms}) or DSSE-KMS; empty: the
 *     bucket's default
 * @param kmsKeyId the KMS key of SSE-KMS or DSSE-KMS; empty: the account's AWS managed key
 * @param objectLocks whether the bucket has S3 Object Lock, so the store offers locks
 */
record S3Requests(
    int listPageSize,
    boolean conditionalCopyObject,
    Duration metadataCallTimeout,
    Optional<ServerSideEncryption> encryption,
    Optional<String> kmsKeyId,
    boolean objectLocks) {
  static final S3Requests DEFAULT =
      new S3Requests(
          1000,
          true,
          S3ObjectStore.DEFAULT_METADATA_CALL_TIMEOUT,
          Optional.empty(),
          Optional.empty(),
          false);

  S3Requests withListPageSize(int keys) {
    return new S3Requests(
        keys, conditionalCopyObject, metadataCallTimeout, encryption, kmsKeyId, objectLocks);
  }

  S3Requests withoutConditionalCopyObject() {
    return new S3Requests(
        listPageSize, false, metadataCallTimeout, encryption, kmsKeyId, objectLocks);
  }

  S3Requests withMetadataCallTimeout(Duration timeout) {
    return new S3Requests(
        listPageSize, conditionalCopyObject, timeout, encryption, kmsKeyId, objectLocks);
  }

  S3Requests withEncryption(ServerSideEncryption mode, Optional<String> key) {
    return new S3Requests(
        listPageSize,
        conditionalCopyObject,
        metadataCallTimeout,
        Optional.of(mode),
        key,
        objectLocks);
  }

  S3Requests withObjectLocks() {
    return new S3Requests(
        listPageSize, conditionalCopyObject, metadataCallTimeout, encryption, kmsKeyId, true);
  }

  void encrypt(PutObjectRequest.Builder request) {
    encryption.ifPresent(request::serverSideEncryption);
    kmsKeyId.ifPresent(request::ssekmsKeyId);
  }

  void encrypt(CreateMultipartUploadRequest.Builder request) {
    encryption.ifPresent(request::serverSideEncryption);
    kmsKeyId.ifPresent(request::ssekmsKeyId);
  }

  void encrypt(CopyObjectRequest.Builder request) {
    encryption.ifPresent(request::serverSideEncryption);
    kmsKeyId.ifPresent(request::ssekmsKeyId);
  }
}
