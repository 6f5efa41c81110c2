package io.influxbak.store.s3;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Iterators;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.KeyLevel;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreCapabilities;
import io.influxbak.store.StoreId;
import io.influxbak.store.WriteCheck;
import io.influxbak.store.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.annotation.concurrent.ThreadSafe;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.paginators.ListObjectsV2Iterable;

/**
 * An {@link ObjectStore} over one S3 bucket and key prefix, on the AWS SDK's synchronous client.
 *
 * <ul>
 *   <li>Writes verify themselves: a PutObject carries the object's CRC32C (as a header when the
 *       caller knows it up front, else computed by the SDK as the body streams and sent as a
 *       trailer), and S3 refuses content that does not match; multipart uploads carry every part's
 *       CRC32C and the whole object's full-object CRC32C. A later stat returns that CRC32C, so a
 *       verify needs no download. Content is streamed; a multipart upload holds one part in memory.
 *   <li>{@link WriteMode#CREATE_NEW} (and {@link WriteMode#CREATE_IN_CLAIMED_ROOT}) is S3's
 *       conditional write ({@code If-None-Match: *}) on PutObject, CompleteMultipartUpload and
 *       CopyObject: atomic, with no window between a check and the write.
 *   <li>Copies are server-side: CopyObject up to {@link S3TransferSizes#copyThreshold()},
 *       UploadPartCopy beyond; S3 computes a CRC32C for the copy.
 *   <li>Listings are lazy, one page of up to 1,000 keys at a time.
 * </ul>
 *
 * <p>The SDK retries single requests (throttling, 5xx, connection errors) by its retry strategy;
 * what is left is mapped to {@link io.influxbak.store.TransientStoreException} and the other typed
 * errors.
 */
@ThreadSafe
public final class S3ObjectStore implements ObjectStore {
  /**
   * The default deadline of a request that moves no object data: see {@link
   * #withMetadataCallTimeout}.
   */
  public static final Duration DEFAULT_METADATA_CALL_TIMEOUT = Duration.ofSeconds(5);

  private static final StoreCapabilities CAPABILITIES =
      new StoreCapabilities(
          ImmutableSet.of(), ImmutableSet.of(ChecksumAlgorithm.CRC32C), true, true);

  private final S3Client client;
  private final boolean ownsClient;
  private final String bucket;
  private final KeyPrefix root;
  private final S3TransferSizes sizes;
  private final S3Requests requests;
  private final StoreId id;
  private final AwsRequestOverrideConfiguration metadataCall;
  private final S3Multipart multipart;
  private final S3ObjectLocks locks;

  /**
   * A store over {@code s3://bucket/root} with the caller's client, which this store never closes.
   *
   * @param root the key prefix everything lives under ({@link KeyPrefix#ROOT} for the whole bucket)
   */
  public static S3ObjectStore of(
      S3Client client, String bucket, KeyPrefix root, S3TransferSizes sizes) {
    return new S3ObjectStore(client, false, bucket, root, sizes, S3Requests.DEFAULT);
  }

  /** As {@link #of}, but closing {@code client} when the store is closed. */
  static S3ObjectStore owning(
      S3Client client, String bucket, KeyPrefix root, S3TransferSizes sizes) {
    return new S3ObjectStore(client, true, bucket, root, sizes, S3Requests.DEFAULT);
  }

  /**
   * The same store giving each request that moves no object data (a listing page, HEAD, DELETE,
   * starting or aborting a multipart upload) at most {@code timeout}, the SDK's own attempts
   * included. Requests that move data (GET, PUT, parts, copies, completions) are bounded by the
   * HTTP client's timeouts instead: their length grows with the object.
   */
  public S3ObjectStore withMetadataCallTimeout(Duration timeout) {
    com.google.common.base.Preconditions.checkArgument(
        !timeout.isNegative() && !timeout.isZero(), "timeout must be positive: %s", timeout);
    return with(requests.withMetadataCallTimeout(timeout));
  }

  /**
   * The same store listing {@code keys} keys a page (1 to 1,000; S3's own default and maximum is
   * 1,000).
   */
  public S3ObjectStore withListPageSize(int keys) {
    com.google.common.base.Preconditions.checkArgument(
        keys >= 1 && keys <= 1000, "page size must be 1 to 1000: %s", keys);
    return with(requests.withListPageSize(keys));
  }

  /**
   * The same store checking that the key is free before a CopyObject in {@link
   * WriteMode#CREATE_NEW}, for servers whose CopyObject ignores {@code If-None-Match} (AWS honours
   * it since October 2025; S3Mock 5.2.0 and S3Proxy 4.1.0 do not, measured here). The check and the
   * copy are two requests, so a writer that creates the same key between them is overwritten:
   * influxbak copies only into a backup's own root, which a backup claims with a conditional write
   * of its start marker. Copies above {@link S3TransferSizes#copyThreshold()} stay atomic (a
   * multipart copy completed only if absent).
   */
  public S3ObjectStore withoutConditionalCopyObject() {
    return with(requests.withoutConditionalCopyObject());
  }

  /**
   * The same store asking S3 to encrypt every object it creates (puts, multipart uploads, copies)
   * with {@code mode}: {@code AES256} (SSE-S3), {@code AWS_KMS} (SSE-KMS) or {@code AWS_KMS_DSSE},
   * under the KMS key {@code kmsKeyId} if given (else the account's AWS managed key). Reads need
   * nothing: S3 decrypts for any caller the key policy allows.
   */
  public S3ObjectStore withServerSideEncryption(
      ServerSideEncryption mode, Optional<String> kmsKeyId) {
    requireNonNull(mode, "mode is null");
    requireNonNull(kmsKeyId, "kmsKeyId is null");
    return with(requests.withEncryption(mode, kmsKeyId));
  }

  private S3ObjectStore with(S3Requests changed) {
    return new S3ObjectStore(client, ownsClient, bucket, root, sizes, changed);
  }

  /** How requests that create objects are encrypted. */
  S3Requests requests() {
    return requests;
  }

  private S3ObjectStore(
      S3Client client,
      boolean ownsClient,
      String bucket,
      KeyPrefix root,
      S3TransferSizes sizes,
      S3Requests requests) {
    this.requests = requests;
    this.metadataCall =
        AwsRequestOverrideConfiguration.builder()
            .apiCallTimeout(requests.metadataCallTimeout())
            .build();
    this.client = requireNonNull(client, "client is null");
    this.ownsClient = ownsClient;
    this.bucket = requireNonNull(bucket, "bucket is null");
    this.root = requireNonNull(root, "root is null");
    this.sizes = requireNonNull(sizes, "sizes is null");
    this.id = new StoreId("s3", bucket, root.toString());
    this.multipart = new S3Multipart(this, client, bucket, sizes, metadataCall);
    this.locks = new S3ObjectLocks(client, bucket, id, metadataCall, requests.objectLocks());
  }

  @Override
  public StoreId id() {
    return id;
  }

  @Override
  public StoreCapabilities capabilities() {
    return requests.objectLocks() ? CAPABILITIES.withObjectLocks() : CAPABILITIES;
  }

  /**
   * The same store offering object locks, for a bucket with S3 Object Lock (so versioned: a delete
   * adds a delete marker; a lifecycle rule expires the noncurrent versions).
   */
  public S3ObjectStore withObjectLocks() {
    return with(requests.withObjectLocks());
  }

  @Override
  public Optional<ObjectLock> lockOf(ObjectKey key) throws IOException {
    if (!requests.objectLocks()) {
      return ObjectStore.super.lockOf(key);
    }
    return locks.lockOf(key, s3Key(key), () -> stat(key).isPresent());
  }

  /** {@code PutObjectRetention}; see {@link #withObjectLocks}. */
  @Override
  public void lock(ObjectKey key, ObjectLock lock) throws IOException {
    locks.lock(key, s3Key(key), lock, () -> stat(key).isPresent());
  }

  String s3Key(ObjectKey key) {
    return root.resolve(key).toString();
  }

  @Override
  public ObjectIterator list(KeyPrefix prefix) throws IOException {
    String full = root.toString() + prefix;
    ListObjectsV2Iterable pages =
        client.listObjectsV2Paginator(
            b ->
                b.bucket(bucket)
                    .prefix(full)
                    .maxKeys(requests.listPageSize())
                    .overrideConfiguration(metadataCall));
    Iterator<ListObjectsV2Response> pageIterator;
    try {
      pageIterator = pages.iterator();
    } catch (SdkException e) {
      throw S3Errors.listing(e, id, prefix.toString());
    }
    return ObjectIterator.ofPages(
        Iterators.transform(pageIterator, ListObjectsV2Response::contents),
        this::listed,
        e ->
            e instanceof SdkException sdk
                ? S3Errors.listing(sdk, id, prefix.toString())
                : new IOException("Cannot list " + prefix + " in " + id, e));
  }

  /** ListObjectsV2 with the delimiter {@code /}: the objects and common prefixes of a level. */
  @Override
  public KeyLevel listLevel(KeyPrefix prefix) throws IOException {
    String full = root.toString() + prefix;
    List<ObjectInfo> objects = new ArrayList<>();
    Set<KeyPrefix> children = new HashSet<>();
    try {
      for (ListObjectsV2Response page :
          client.listObjectsV2Paginator(
              b ->
                  b.bucket(bucket)
                      .prefix(full)
                      .delimiter("/")
                      .maxKeys(requests.listPageSize())
                      .overrideConfiguration(metadataCall))) {
        for (var common : page.commonPrefixes()) {
          String name = common.prefix().substring(full.length(), common.prefix().length() - 1);
          children.add(prefix.resolvePrefix(name));
        }
        for (S3Object object : page.contents()) {
          objects.add(listed(object));
        }
      }
    } catch (SdkException e) {
      throw S3Errors.listing(e, id, prefix.toString());
    }
    return new KeyLevel(objects, children);
  }

  private ObjectInfo listed(S3Object object) {
    return S3ObjectInfo.of(
        ObjectKey.of(object.key().substring(root.toString().length())),
        object.size(),
        object.lastModified(),
        object.eTag(),
        null,
        null);
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
    HeadObjectResponse head;
    try {
      head =
          client.headObject(
              b ->
                  b.bucket(bucket)
                      .key(s3Key(key))
                      .checksumMode(ChecksumMode.ENABLED)
                      .overrideConfiguration(metadataCall));
    } catch (SdkException e) {
      IOException mapped = S3Errors.map(e, id, key, "stat", false);
      if (mapped instanceof ObjectNotFoundException) {
        return Optional.empty();
      }
      throw mapped;
    }
    return Optional.of(S3ObjectInfo.of(key, head));
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    try {
      return client.getObject(b -> b.bucket(bucket).key(s3Key(key)));
    } catch (SdkException e) {
      throw S3Errors.map(e, id, key, "read", false);
    }
  }

  @Override
  public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
    long length = content.length();
    WriteCheck check = WriteCheck.of(id, key, content);
    try {
      if (length > sizes.multipartThreshold()) {
        return multipart.upload(key, content, check, mode);
      }
      return multipart.put(
          key,
          content,
          request -> {
            if (mode.createOnly()) {
              request.ifNoneMatch("*");
            }
          });
    } catch (SdkException e) {
      throw S3Errors.map(e, id, key, "write", mode.createOnly());
    } catch (UncheckedIOException e) {
      throw e.getCause(); // the content could not be opened or read before sending
    } catch (IllegalStateException e) {
      throw S3Errors.lengthMismatch(e, id, key);
    }
  }

  @Override
  public ObjectInfo copy(ObjectKey source, ObjectKey target, WriteMode mode) throws IOException {
    return multipart.copyWithin(source, target, mode, requests.conditionalCopyObject());
  }

  /**
   * {@code If-Match} on one PutObject: lease-sized objects, up to S3's 5 GiB single-request limit.
   */
  @Override
  public ObjectInfo replaceIfVersion(ObjectKey key, ObjectContent content, String expectedVersion)
      throws IOException {
    requireNonNull(expectedVersion, "expectedVersion is null");
    try {
      return multipart.put(key, content, request -> request.ifMatch(expectedVersion));
    } catch (SdkException e) {
      throw S3Errors.conditional(e, id, key, "replace", expectedVersion);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** {@code If-Match} on DeleteObject. */
  @Override
  public void deleteIfVersion(ObjectKey key, String expectedVersion) throws IOException {
    requireNonNull(expectedVersion, "expectedVersion is null");
    try {
      client.deleteObject(
          b ->
              b.bucket(bucket)
                  .key(s3Key(key))
                  .ifMatch(expectedVersion)
                  .overrideConfiguration(metadataCall));
    } catch (SdkException e) {
      throw S3Errors.conditional(e, id, key, "delete", expectedVersion);
    }
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    try {
      client.deleteObject(
          b -> b.bucket(bucket).key(s3Key(key)).overrideConfiguration(metadataCall));
    } catch (SdkException e) {
      IOException mapped = S3Errors.map(e, id, key, "delete", false);
      if (!(mapped instanceof ObjectNotFoundException)) {
        throw mapped;
      }
    }
  }

  @Override
  public void close() {
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return id.toString();
  }
}
