package io.influxbak.store.azure;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobCopyFromUrlOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.Nullable;
import javax.annotation.concurrent.ThreadSafe;

/**
 * An {@link ObjectStore} over one Azure Blob container and name prefix, on the Azure Storage Blob
 * SDK.
 *
 * <ul>
 *   <li>Writes verify themselves: a blob up to {@link AzureTransferSizes#singleUploadMax()} is one
 *       Put Blob whose Content-MD5 the service checks and keeps; a larger one is staged in blocks,
 *       each with an MD5 the service checks, and committed with the whole blob's MD5 as its
 *       Content-MD5 property. Every blob written carries its CRC32C in the {@value
 *       #CRC32C_METADATA} metadata, which stat and listings return, so a verify needs no download.
 *       A known CRC32C is checked before the commit: a mismatch publishes nothing.
 *   <li>{@link WriteMode#CREATE_NEW} (and {@link WriteMode#CREATE_IN_CLAIMED_ROOT}) is {@code
 *       If-None-Match: *} on Put Blob, Put Block List and Copy Blob From URL.
 *   <li>Copies are server-side: Copy Blob From URL up to 256 MiB, blocks staged from the source's
 *       URL beyond (Put Blob From URL, one request up to 5,000 MiB, is not used: Azurite does not
 *       implement it). Every copy names its source with a SAS: the account key's, the caller's SAS
 *       token, or a user delegation SAS.
 *   <li>Listings are lazy, one page at a time, with metadata (so with the CRC32C) and Content-MD5.
 * </ul>
 */
@ThreadSafe
public final class AzureBlobObjectStore implements ObjectStore {
  /** The metadata entry holding a blob's CRC32C (hex of the big-endian bytes). */
  public static final String CRC32C_METADATA = "influxbakcrc32c";

  private static final StoreCapabilities CAPABILITIES =
      new StoreCapabilities(
          ImmutableSet.of(), ImmutableSet.of(ChecksumAlgorithm.CRC32C), true, true);

  /** The default deadline of a request that moves no blob data, the SDK's attempts included. */
  public static final Duration DEFAULT_METADATA_CALL_TIMEOUT = Duration.ofSeconds(5);

  private final BlobServiceClient service;
  private final BlobContainerClient container;
  private final KeyPrefix root;
  private final AzureTransferSizes sizes;
  @Nullable private final String sasToken;
  private final int listPageSize;
  private final Duration metadataCallTimeout;
  private final StoreId id;
  private final AzureBlocks blocks;
  @Nullable private final AutoCloseable resources;
  private final AzureRequests requests;
  private final AzureObjectLocks locks;

  /**
   * A store over {@code container} and {@code root}, on the caller's clients (never closed here).
   *
   * @param sasToken the SAS token the clients were built with, if any: copies then name their
   *     source with it
   */
  public static AzureBlobObjectStore of(
      BlobServiceClient service,
      BlobContainerClient container,
      KeyPrefix root,
      AzureTransferSizes sizes,
      @Nullable String sasToken) {
    return new AzureBlobObjectStore(
        service, container, root, sizes, sasToken, null, AzureRequests.DEFAULT);
  }

  /**
   * As {@link #of}, closing {@code resources} (the HTTP client's pool) when the store is closed.
   */
  static AzureBlobObjectStore owning(
      BlobServiceClient service,
      BlobContainerClient container,
      KeyPrefix root,
      AzureTransferSizes sizes,
      @Nullable String sasToken,
      AutoCloseable resources) {
    return new AzureBlobObjectStore(
        service, container, root, sizes, sasToken, resources, AzureRequests.DEFAULT);
  }

  private AzureBlobObjectStore(
      BlobServiceClient service,
      BlobContainerClient container,
      KeyPrefix root,
      AzureTransferSizes sizes,
      @Nullable String sasToken,
      @Nullable AutoCloseable resources,
      AzureRequests requests) {
    this.service = requireNonNull(service, "service is null");
    this.container = requireNonNull(container, "container is null");
    this.root = requireNonNull(root, "root is null");
    this.sizes = requireNonNull(sizes, "sizes is null");
    this.sasToken =
        sasToken == null || sasToken.isEmpty()
            ? null
            : (sasToken.startsWith("?") ? sasToken.substring(1) : sasToken);
    this.requests = requests;
    this.listPageSize = requests.listPageSize();
    this.metadataCallTimeout = requests.metadataCallTimeout();
    this.resources = resources;
    this.id =
        new StoreId(
            "az",
            container.getAccountName() + "/" + container.getBlobContainerName(),
            root.toString());
    this.blocks = new AzureBlocks(this, sizes);
    this.locks = new AzureObjectLocks(id, metadataCallTimeout, requests.objectLocks());
  }

  private AzureBlobObjectStore with(AzureRequests changed) {
    return new AzureBlobObjectStore(service, container, root, sizes, sasToken, resources, changed);
  }

  /** The same store listing {@code names} blobs a page (1 to 5,000). */
  public AzureBlobObjectStore withListPageSize(int names) {
    com.google.common.base.Preconditions.checkArgument(
        names >= 1 && names <= 5000, "page size must be 1 to 5000: %s", names);
    return with(requests.withListPageSize(names));
  }

  /**
   * The same store giving each request that moves no blob data (a listing page, a stat, a delete)
   * at most {@code timeout}, the SDK's attempts included, so that a hung endpoint fails fast. Data
   * transfers are bounded by the HTTP client's timeouts instead: their length grows with the blob.
   */
  public AzureBlobObjectStore withMetadataCallTimeout(Duration timeout) {
    com.google.common.base.Preconditions.checkArgument(
        !timeout.isNegative() && !timeout.isZero(), "timeout must be positive: %s", timeout);
    return with(requests.withMetadataCallTimeout(timeout));
  }

  /** The same store with object locks: version-level immutability, which the container supports. */
  public AzureBlobObjectStore withObjectLocks() {
    return with(requests.withObjectLocks());
  }

  @Override
  public Optional<ObjectLock> lockOf(ObjectKey key) throws IOException {
    return locks.lockOf(key, blob(key));
  }

  @Override
  public void lock(ObjectKey key, ObjectLock lock) throws IOException {
    locks.lock(key, blob(key), lock);
  }

  @Override
  public StoreId id() {
    return id;
  }

  @Override
  public StoreCapabilities capabilities() {
    return requests.objectLocks() ? CAPABILITIES.withObjectLocks() : CAPABILITIES;
  }

  private BlobClient blob(ObjectKey key) {
    return container.getBlobClient(root.resolve(key).toString());
  }

  @Override
  public ObjectIterator list(KeyPrefix prefix) throws IOException {
    ListBlobsOptions options =
        new ListBlobsOptions()
            .setPrefix(root.toString() + prefix)
            .setMaxResultsPerPage(listPageSize)
            .setDetails(new BlobListDetails().setRetrieveMetadata(true));
    Iterator<PagedResponse<BlobItem>> pages;
    try {
      pages = container.listBlobs(options, metadataCallTimeout).iterableByPage().iterator();
    } catch (RuntimeException e) {
      throw AzureErrors.map(e, id, null, "list " + prefix.displayName(), false);
    }
    return ObjectIterator.ofPages(
        Iterators.transform(pages, PagedResponse::getValue),
        this::listed,
        e -> AzureErrors.map(e, id, null, "list " + prefix.displayName(), false));
  }

  /** List Blobs by hierarchy with the delimiter {@code /}: the blobs and prefixes of a level. */
  @Override
  public KeyLevel listLevel(KeyPrefix prefix) throws IOException {
    String full = root.toString() + prefix;
    List<ObjectInfo> objects = new ArrayList<>();
    Set<KeyPrefix> children = new HashSet<>();
    try {
      for (BlobItem item :
          container.listBlobsByHierarchy(
              "/",
              new ListBlobsOptions()
                  .setPrefix(full)
                  .setMaxResultsPerPage(listPageSize)
                  .setDetails(new BlobListDetails().setRetrieveMetadata(true)),
              metadataCallTimeout)) {
        if (Boolean.TRUE.equals(item.isPrefix())) {
          String name = item.getName().substring(full.length(), item.getName().length() - 1);
          children.add(prefix.resolvePrefix(name));
        } else {
          objects.add(listed(item));
        }
      }
    } catch (RuntimeException e) {
      throw AzureErrors.map(e, id, null, "list " + prefix.displayName(), false);
    }
    return new KeyLevel(objects, children);
  }

  private ObjectInfo listed(BlobItem item) {
    return BlobObjects.info(
        ObjectKey.of(item.getName().substring(root.toString().length())),
        item.getProperties().getContentLength(),
        item.getProperties().getLastModified(),
        item.getProperties().getETag(),
        item.getProperties().getContentMd5(),
        item.getMetadata());
  }

  private BlobProperties properties(ObjectKey key) {
    return blob(key).getPropertiesWithResponse(null, metadataCallTimeout, Context.NONE).getValue();
  }

  @Override
  public Optional<ObjectInfo> stat(ObjectKey key) throws IOException {
    BlobProperties properties;
    try {
      properties = properties(key);
    } catch (RuntimeException e) {
      IOException mapped = AzureErrors.map(e, id, key, "stat", false);
      if (mapped instanceof ObjectNotFoundException) {
        return Optional.empty();
      }
      throw mapped;
    }
    return Optional.of(
        BlobObjects.info(
            key,
            properties.getBlobSize(),
            properties.getLastModified(),
            properties.getETag(),
            properties.getContentMd5(),
            properties.getMetadata()));
  }

  @Override
  public InputStream open(ObjectKey key) throws IOException {
    try {
      return blob(key).openInputStream();
    } catch (RuntimeException e) {
      throw AzureErrors.map(e, id, key, "read", false);
    }
  }

  @Override
  public ObjectInfo write(ObjectKey key, ObjectContent content, WriteMode mode) throws IOException {
    WriteCheck check = WriteCheck.of(id, key, content);
    BlockBlobClient block = blob(key).getBlockBlobClient();
    try {
      if (content.length() <= sizes.singleUploadMax()) {
        return AzureBlocks.putBlob(key, block, content, check, AzureBlocks.conditions(mode));
      }
      return blocks.upload(key, block, content, check, mode);
    } catch (RuntimeException e) {
      throw AzureErrors.map(e, id, key, "write", mode.createOnly());
    }
  }

  /** {@code If-Match} on one Put Blob: objects up to the single-upload size. */
  @Override
  public ObjectInfo replaceIfVersion(ObjectKey key, ObjectContent content, String expectedVersion)
      throws IOException {
    checkArgument(
        content.length() <= sizes.singleUploadMax(),
        "A conditional replace of %s writes at most %s bytes in one Put Blob",
        key,
        sizes.singleUploadMax());
    try {
      return AzureBlocks.putBlob(
          key,
          blob(key).getBlockBlobClient(),
          content,
          WriteCheck.of(id, key, content),
          new BlobRequestConditions().setIfMatch(expectedVersion));
    } catch (RuntimeException e) {
      throw AzureErrors.conditional(e, id, key, "replace", expectedVersion);
    }
  }

  /** {@code If-Match} on Delete Blob. */
  @Override
  public void deleteIfVersion(ObjectKey key, String expectedVersion) throws IOException {
    try {
      blob(key)
          .deleteWithResponse(
              null,
              new BlobRequestConditions().setIfMatch(expectedVersion),
              metadataCallTimeout,
              Context.NONE);
    } catch (RuntimeException e) {
      throw AzureErrors.conditional(e, id, key, "delete", expectedVersion);
    }
  }

  @Override
  public ObjectInfo copy(ObjectKey source, ObjectKey target, WriteMode mode) throws IOException {
    BlobProperties from;
    try {
      from = properties(source);
    } catch (RuntimeException e) {
      throw AzureErrors.map(e, id, source, "copy from", false);
    }
    Map<String, String> metadata = new HashMap<>();
    if (from.getMetadata() != null && from.getMetadata().containsKey(CRC32C_METADATA)) {
      metadata.put(CRC32C_METADATA, from.getMetadata().get(CRC32C_METADATA));
    }
    String sourceUrl = AzureBlocks.sourceUrl(service, blob(source), sasToken);
    BlobClient to = blob(target);
    try {
      if (from.getBlobSize() <= sizes.copyFromUrlMax()) {
        to.copyFromUrlWithResponse(
            new BlobCopyFromUrlOptions(sourceUrl)
                .setMetadata(metadata)
                .setDestinationRequestConditions(AzureBlocks.conditions(mode)),
            null,
            Context.NONE);
      } else {
        blocks.copy(target, to.getBlockBlobClient(), sourceUrl, from, metadata, mode);
      }
    } catch (RuntimeException e) {
      throw AzureErrors.map(e, id, target, "copy " + source + " to", mode.createOnly());
    }
    return stat(target).orElseThrow(() -> new ObjectNotFoundException(id, target));
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    try {
      blob(key).deleteIfExistsWithResponse(null, null, metadataCallTimeout, Context.NONE);
    } catch (RuntimeException e) {
      throw AzureErrors.map(e, id, key, "delete", false);
    }
  }

  @Override
  public void close() {
    if (resources != null) {
      try {
        resources.close();
      } catch (Exception e) {
        // the pool is going away with the store
      }
    }
  }

  @Override
  public String toString() {
    return id.toString();
  }
}
