package io.influxbak.store.s3;

import io.influxbak.store.Checksum;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.WriteCheck;
import io.influxbak.store.WriteMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3's writes and copies for one store: single PutObjects under a condition, uploads in parts with
 * a CRC32C each and the full-object CRC32C on completion, copies with UploadPartCopy; completed
 * only if absent when asked, aborted on any failure so that nothing is published.
 */
final class S3Multipart {
  private final S3ObjectStore store;
  private final S3Client client;
  private final String bucket;
  private final S3TransferSizes sizes;
  private final AwsRequestOverrideConfiguration metadataCall;

  S3Multipart(
      S3ObjectStore store,
      S3Client client,
      String bucket,
      S3TransferSizes sizes,
      AwsRequestOverrideConfiguration metadataCall) {
    this.metadataCall = metadataCall;
    this.store = store;
    this.client = client;
    this.bucket = bucket;
    this.sizes = sizes;
  }

  /**
   * One PutObject of {@code content}, with its CRC32C, under the condition {@code condition} adds.
   */
  ObjectInfo put(
      ObjectKey key, ObjectContent content, Consumer<PutObjectRequest.Builder> condition) {
    long length = content.length();
    Optional<Checksum> known = WriteCheck.of(store.id(), key, content).declaredCrc32c();
    PutObjectRequest.Builder request =
        PutObjectRequest.builder().bucket(bucket).key(store.s3Key(key)).contentLength(length);
    if (known.isPresent()) {
      request.checksumCRC32C(known.get().base64());
    } else {
      request.checksumAlgorithm(software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32_C);
    }
    condition.accept(request);
    store.requests().encrypt(request);
    PutObjectResponse response =
        client.putObject(
            request.build(),
            RequestBody.fromContentProvider(
                // The SDK stops at the declared length: the check sees whether the content
                // goes on, and fails the request before it completes.
                () -> WriteCheck.of(store.id(), key, content).checking(reopen(content)),
                length,
                "application/octet-stream"));
    return S3ObjectInfo.of(
        key,
        length,
        null,
        response.eTag(),
        response.checksumCRC32C(),
        response.checksumTypeAsString());
  }

  /** A new stream over the content, for each attempt the SDK makes. */
  private static InputStream reopen(ObjectContent content) {
    try {
      return content.openStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Uploads in parts of {@link S3TransferSizes#partSize()}, one part in memory at a time, each with
   * its CRC32C; completes with the whole object's full-object CRC32C (checked against a known one
   * first), only if absent in {@link WriteMode#CREATE_NEW}. Any failure aborts the upload: nothing
   * is published.
   */
  ObjectInfo upload(ObjectKey key, ObjectContent content, WriteCheck check, WriteMode mode)
      throws IOException {
    // Before any part moves. S3Mock 5.2.0 also gets the abort after a refused completion wrong:
    // its AbortMultipartUpload deletes the committed object at the key, where AWS only discards the
    // parts.
    WriteCheck.refuseIfPresent(store, key, mode);
    String s3Key = store.s3Key(key);
    String uploadId = create(s3Key);
    boolean completed = false;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      byte[] buffer = new byte[(int) Math.min(sizes.partSize(), Math.max(1, content.length()))];
      try (InputStream in = content.openStream()) {
        for (int number = 1; ; number++) {
          int read = in.readNBytes(buffer, 0, buffer.length);
          if (read == 0 && number > 1) {
            break;
          }
          CRC32C part = new CRC32C();
          part.update(buffer, 0, read);
          check.update(buffer, 0, read);
          String partCrc = Checksum.crc32c(part.getValue()).base64();
          int partNumber = number;
          int partLength = read;
          String etag =
              client
                  .uploadPart(
                      b ->
                          b.bucket(bucket)
                              .key(s3Key)
                              .uploadId(uploadId)
                              .partNumber(partNumber)
                              .contentLength((long) partLength)
                              .checksumCRC32C(partCrc),
                      RequestBody.fromContentProvider(
                          () -> new ByteArrayInputStream(buffer, 0, partLength),
                          partLength,
                          "application/octet-stream"))
                  .eTag();
          parts.add(
              CompletedPart.builder()
                  .partNumber(partNumber)
                  .eTag(etag)
                  .checksumCRC32C(partCrc)
                  .build());
          if (read < buffer.length) {
            break;
          }
        }
      }
      Checksum crc = check.finish();
      var response =
          client.completeMultipartUpload(
              b -> {
                b.bucket(bucket)
                    .key(s3Key)
                    .uploadId(uploadId)
                    .multipartUpload(u -> u.parts(parts))
                    .checksumCRC32C(crc.base64())
                    .checksumType(ChecksumType.FULL_OBJECT);
                if (mode.createOnly()) {
                  b.ifNoneMatch("*");
                }
              });
      completed = true;
      return S3ObjectInfo.of(
          key,
          check.received(),
          null,
          response.eTag(),
          response.checksumCRC32C(),
          response.checksumTypeAsString());
    } finally {
      if (!completed) {
        abort(s3Key, uploadId);
      }
    }
  }

  /**
   * UploadPartCopy in parts of {@link S3TransferSizes#copyPartSize()}: no bytes pass through this
   * JVM.
   */
  ObjectInfo copy(ObjectKey source, ObjectKey target, long size, WriteMode mode)
      throws IOException {
    WriteCheck.refuseIfPresent(store, target, mode);
    String s3Key = store.s3Key(target);
    String uploadId = create(s3Key);
    boolean completed = false;
    try {
      List<CompletedPart> parts = new ArrayList<>();
      int number = 1;
      for (long offset = 0; offset < Math.max(1, size); offset += sizes.copyPartSize(), number++) {
        // An empty object is one part with no range (a range must name at least one byte).
        String range =
            size == 0
                ? null
                : "bytes=" + offset + "-" + (Math.min(size, offset + sizes.copyPartSize()) - 1);
        int partNumber = number;
        var result =
            client
                .uploadPartCopy(
                    b ->
                        b.sourceBucket(bucket)
                            .sourceKey(store.s3Key(source))
                            .destinationBucket(bucket)
                            .destinationKey(s3Key)
                            .uploadId(uploadId)
                            .partNumber(partNumber)
                            .copySourceRange(range))
                .copyPartResult();
        parts.add(
            CompletedPart.builder()
                .partNumber(partNumber)
                .eTag(result.eTag())
                .checksumCRC32C(result.checksumCRC32C())
                .build());
      }
      var response =
          client.completeMultipartUpload(
              b -> {
                b.bucket(bucket)
                    .key(s3Key)
                    .uploadId(uploadId)
                    .multipartUpload(u -> u.parts(parts))
                    .checksumType(ChecksumType.FULL_OBJECT);
                if (mode.createOnly()) {
                  b.ifNoneMatch("*");
                }
              });
      completed = true;
      ObjectInfo copied =
          S3ObjectInfo.of(
              target,
              size,
              null,
              response.eTag(),
              response.checksumCRC32C(),
              response.checksumTypeAsString());
      return copied.checksums().isEmpty()
          ? store.stat(target).orElseThrow(() -> new ObjectNotFoundException(store.id(), target))
          : copied;
    } finally {
      if (!completed) {
        abort(s3Key, uploadId);
      }
    }
  }

  private void abort(String s3Key, String uploadId) {
    try {
      client.abortMultipartUpload(
          b -> b.bucket(bucket).key(s3Key).uploadId(uploadId).overrideConfiguration(metadataCall));
    } catch (SdkException e) {
      // An upload left behind publishes nothing; a bucket lifecycle rule removes incomplete
      // uploads.
    }
  }

  /** Starts an upload whose completion carries a full-object CRC32C. */
  private String create(String s3Key) {
    return client
        .createMultipartUpload(
            b ->
                b.bucket(bucket)
                    .key(s3Key)
                    .checksumAlgorithm(
                        software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32_C)
                    .checksumType(ChecksumType.FULL_OBJECT)
                    .overrideConfiguration(metadataCall)
                    .applyMutation(store.requests()::encrypt))
        .uploadId();
  }

  /**
   * A copy inside the bucket: CopyObject up to {@link S3TransferSizes#copyThreshold()} (only if
   * absent by {@code If-None-Match}, or by a check first where the server ignores it),
   * UploadPartCopy beyond; with S3's own 5 GiB limit as the threshold, S3 says when a source is too
   * large.
   */
  ObjectInfo copyWithin(
      ObjectKey source, ObjectKey target, WriteMode mode, boolean conditionalCopyObject)
      throws IOException {
    // With S3's own limit as the threshold, S3 says when a source is too large for CopyObject: no
    // HEAD first.
    if (sizes.copyThreshold() < S3TransferSizes.MAX_PART) {
      ObjectInfo from =
          store.stat(source).orElseThrow(() -> new ObjectNotFoundException(store.id(), source));
      if (from.size() > sizes.copyThreshold()) {
        return copy(source, target, from.size(), mode);
      }
    }
    if (!conditionalCopyObject) {
      WriteCheck.refuseIfPresent(store, target, mode);
    }
    try {
      client.copyObject(
          b -> {
            b.sourceBucket(bucket)
                .sourceKey(store.s3Key(source))
                .destinationBucket(bucket)
                .destinationKey(store.s3Key(target))
                .checksumAlgorithm(
                    software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32_C);
            if (mode.createOnly()) {
              b.ifNoneMatch("*");
            }
            store.requests().encrypt(b);
          });
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new ObjectNotFoundException(
            store.id(), source); // CopyObject's NoSuchKey is about its source
      }
      if (e.statusCode() == 400
          && e.awsErrorDetails() != null
          && "InvalidRequest".equals(e.awsErrorDetails().errorCode())) {
        Optional<ObjectInfo> from = store.stat(source);
        if (from.isPresent() && from.get().size() > S3TransferSizes.MAX_PART) {
          return copy(source, target, from.get().size(), mode); // over 5 GiB: in parts
        }
      }
      throw S3Errors.map(e, store.id(), target, "copy " + source + " to", mode.createOnly());
    } catch (SdkException e) {
      throw S3Errors.map(e, store.id(), target, "copy " + source + " to", mode.createOnly());
    }
    // The copy's size and the CRC32C S3 computed for it (some servers leave it out of the copy's
    // response).
    return store.stat(target).orElseThrow(() -> new ObjectNotFoundException(store.id(), target));
  }
}
