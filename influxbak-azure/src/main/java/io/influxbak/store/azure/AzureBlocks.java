package io.influxbak.store.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.UserDelegationKey;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockFromUrlOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.influxbak.store.Checksum;
import io.influxbak.store.ChecksumAlgorithm;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteCheck;
import io.influxbak.store.WriteMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * Azure's block operations for one store: uploads staged block by block (each with its MD5, checked
 * by the service) and committed with the whole blob's MD5 and CRC32C; copies beyond Copy Blob From
 * URL's limit staged with Put Block From URL. Uncommitted blocks publish nothing.
 */
final class AzureBlocks {
  private final AzureBlobObjectStore store;
  private final AzureTransferSizes sizes;

  AzureBlocks(AzureBlobObjectStore store, AzureTransferSizes sizes) {
    this.store = store;
    this.sizes = sizes;
  }

  /**
   * Stages blocks of {@link AzureTransferSizes#blockSize()}, one in memory at a time, each with its
   * MD5 (checked by the service), then commits them with the whole blob's MD5 and CRC32C.
   * Uncommitted blocks publish nothing and are discarded by the service after a week.
   */
  ObjectInfo upload(
      ObjectKey key, BlockBlobClient block, ObjectContent content, WriteCheck check, WriteMode mode)
      throws IOException {
    WriteCheck.refuseIfPresent(store, key, mode);
    List<String> blockIds = new ArrayList<>();
    MessageDigest whole = md5();
    byte[] buffer = new byte[(int) sizes.blockSize()];
    try (InputStream in = content.openStream()) {
      for (int number = 0; ; number++) {
        int read = in.readNBytes(buffer, 0, buffer.length);
        if (read == 0) {
          break;
        }
        check.update(buffer, 0, read);
        whole.update(buffer, 0, read);
        MessageDigest part = md5();
        part.update(buffer, 0, read);
        String blockId = blockId(number);
        block.stageBlockWithResponse(
            blockId,
            new ByteArrayInputStream(buffer, 0, read),
            read,
            part.digest(),
            null,
            null,
            Context.NONE);
        blockIds.add(blockId);
      }
    }
    Checksum crc32c = check.finish();
    byte[] md5 = whole.digest();
    BlockBlobItem item =
        block
            .commitBlockListWithResponse(
                new BlockBlobCommitBlockListOptions(blockIds)
                    .setHeaders(new BlobHttpHeaders().setContentMd5(md5))
                    .setMetadata(
                        ImmutableMap.of(AzureBlobObjectStore.CRC32C_METADATA, crc32c.hex()))
                    .setRequestConditions(conditions(mode)),
                null,
                Context.NONE)
            .getValue();
    return new ObjectInfo(
        key,
        check.received(),
        Optional.ofNullable(item.getLastModified()).map(OffsetDateTime::toInstant),
        Optional.ofNullable(item.getETag()),
        ImmutableSet.of(crc32c, Checksum.of(ChecksumAlgorithm.MD5, md5)));
  }

  /** Block ids of one blob must all have the same length. */
  private static String blockId(int number) {
    return Base64.getEncoder()
        .encodeToString(String.format("block-%08d", number).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Put Block From URL for each range of the source, then a commit carrying the source's MD5 and
   * CRC32C.
   */
  void copy(
      ObjectKey target,
      BlockBlobClient to,
      String sourceUrl,
      BlobProperties from,
      Map<String, String> metadata,
      WriteMode mode)
      throws IOException {
    WriteCheck.refuseIfPresent(store, target, mode);
    List<String> blockIds = new ArrayList<>();
    int number = 0;
    for (long offset = 0; offset < from.getBlobSize(); offset += sizes.copyBlockSize(), number++) {
      String blockId = blockId(number);
      long count = Math.min(sizes.copyBlockSize(), from.getBlobSize() - offset);
      to.stageBlockFromUrlWithResponse(
          new BlockBlobStageBlockFromUrlOptions(blockId, sourceUrl)
              .setSourceRange(new BlobRange(offset, count)),
          null,
          Context.NONE);
      blockIds.add(blockId);
    }
    to.commitBlockListWithResponse(
        new BlockBlobCommitBlockListOptions(blockIds)
            .setHeaders(new BlobHttpHeaders().setContentMd5(from.getContentMd5()))
            .setMetadata(metadata)
            .setRequestConditions(conditions(mode)),
        null,
        Context.NONE);
  }

  /** One Put Blob with its MD5 (which Azure checks) and CRC32C, under {@code conditions}. */
  static ObjectInfo putBlob(
      ObjectKey key,
      BlockBlobClient block,
      ObjectContent content,
      WriteCheck check,
      BlobRequestConditions conditions)
      throws IOException {
    byte[] bytes;
    try (InputStream in = content.openStream()) {
      bytes = in.readNBytes((int) content.length() + 1);
    }
    check.update(bytes, 0, bytes.length);
    Checksum crc32c = check.finish();
    byte[] md5 = md5().digest(bytes);
    BlockBlobItem item =
        block
            .uploadWithResponse(
                new BlockBlobSimpleUploadOptions(new ByteArrayInputStream(bytes), bytes.length)
                    .setContentMd5(md5)
                    .setHeaders(new BlobHttpHeaders().setContentMd5(md5))
                    .setMetadata(
                        ImmutableMap.of(AzureBlobObjectStore.CRC32C_METADATA, crc32c.hex()))
                    .setRequestConditions(conditions),
                null,
                Context.NONE)
            .getValue();
    return new ObjectInfo(
        key,
        bytes.length,
        Optional.ofNullable(item.getLastModified()).map(OffsetDateTime::toInstant),
        Optional.ofNullable(item.getETag()),
        ImmutableSet.of(crc32c, Checksum.of(ChecksumAlgorithm.MD5, md5)));
  }

  /** Only if absent ({@code If-None-Match: *}) in {@link WriteMode#CREATE_NEW}. */
  static BlobRequestConditions conditions(WriteMode mode) {
    return mode.createOnly()
        ? new BlobRequestConditions().setIfNoneMatch("*")
        : new BlobRequestConditions();
  }

  /** A new MD5 digest, the hash Azure checks uploads against. */
  static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }

  /**
   * The source's URL with read access for the copy: Azure refuses a copy whose private source
   * carries no authorization (Azurite does not check, so tests assert that one is always attached).
   * Uses the caller's SAS token if the store was opened with one, else a service SAS signed with
   * the account key, else a user delegation SAS (Entra ID credentials).
   */
  static String sourceUrl(BlobServiceClient service, BlobClient source, @Nullable String sasToken) {
    String url = source.getBlobUrl();
    if (sasToken != null) {
      return url + "?" + sasToken;
    }
    OffsetDateTime expiry = OffsetDateTime.now().plus(Duration.ofHours(2));
    BlobServiceSasSignatureValues values =
        new BlobServiceSasSignatureValues(expiry, new BlobSasPermission().setReadPermission(true));
    try {
      return url + "?" + source.generateSas(values);
    } catch (IllegalStateException | NullPointerException noAccountKey) {
      UserDelegationKey key =
          service.getUserDelegationKey(OffsetDateTime.now().minusMinutes(5), expiry);
      return url + "?" + source.generateUserDelegationSas(values, key);
    }
  }
}
