package io.influxbak.store.azure;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Where Azure switches from single requests to block lists, and the block sizes. An upload holds
 * one block in memory (its MD5 is computed before it is sent, so that the service checks it); a
 * single-shot upload holds the whole object, up to {@code singleUploadMax}.
 *
 * @param singleUploadMax objects up to this size are one Put Blob, whose Content-MD5 the service
 *     checks and keeps
 * @param blockSize the size of a staged block (up to 4,000 MiB; up to 50,000 blocks make a blob)
 * @param copyFromUrlMax objects up to this size are copied with Copy Blob From URL (Azure's limit:
 *     256 MiB)
 * @param copyBlockSize beyond it, the size of a block staged from the source's URL
 */
public record AzureTransferSizes(
    long singleUploadMax, long blockSize, long copyFromUrlMax, long copyBlockSize) {
  /** Azure's limit for Copy Blob From URL. */
  public static final long MAX_COPY_FROM_URL = 256L << 20;

  /**
   * 4 MiB single uploads, 8 MiB blocks, Copy Blob From URL up to 256 MiB, then 256 MiB blocks from
   * URL.
   */
  public static final AzureTransferSizes DEFAULT =
      new AzureTransferSizes(4L << 20, 8L << 20, MAX_COPY_FROM_URL, 256L << 20);

  /** Checks the sizes against Azure's limits. */
  public AzureTransferSizes {
    checkArgument(
        singleUploadMax >= 0 && singleUploadMax <= Integer.MAX_VALUE - 8,
        "singleUploadMax out of range: %s",
        singleUploadMax);
    checkArgument(
        blockSize >= 1 && blockSize <= Integer.MAX_VALUE - 8,
        "blockSize out of range: %s",
        blockSize);
    checkArgument(
        copyFromUrlMax >= 0 && copyFromUrlMax <= MAX_COPY_FROM_URL,
        "copyFromUrlMax must be at most 256 MiB: %s",
        copyFromUrlMax);
    checkArgument(
        copyBlockSize >= 1 && copyBlockSize <= 4000L << 20,
        "copyBlockSize must be 1 byte to 4000 MiB: %s",
        copyBlockSize);
  }
}
