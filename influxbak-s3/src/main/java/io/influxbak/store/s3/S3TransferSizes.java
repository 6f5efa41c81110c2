package io.influxbak.store.s3;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Where S3 switches from single requests to multipart ones, and the part sizes. Memory for one
 * upload is one part: parts are read from the stream into a buffer, one at a time, so a backup
 * holds at most its parallelism times {@code partSize} in part buffers.
 *
 * @param multipartThreshold objects larger than this are uploaded in parts (a single PutObject
 *     streams the rest)
 * @param partSize the size of an uploaded part (5 MiB to 5 GiB; up to 10,000 parts make an object)
 * @param copyThreshold objects larger than this are copied with UploadPartCopy (CopyObject takes at
 *     most 5 GiB)
 * @param copyPartSize the size of a copied part
 */
public record S3TransferSizes(
    long multipartThreshold, long partSize, long copyThreshold, long copyPartSize) {
  /** S3's smallest part (but the last). */
  public static final long MIN_PART = 5L << 20;

  /** S3's largest part, and the largest CopyObject source. */
  public static final long MAX_PART = 5L << 30;

  /**
   * 64 MiB single-request uploads, 16 MiB parts; CopyObject up to 5 GiB, then 512 MiB copied parts.
   */
  public static final S3TransferSizes DEFAULT =
      new S3TransferSizes(64L << 20, 16L << 20, MAX_PART, 512L << 20);

  /** Checks the sizes against S3's limits. */
  public S3TransferSizes {
    checkArgument(
        partSize >= MIN_PART && partSize <= MAX_PART,
        "partSize must be 5 MiB to 5 GiB: %s",
        partSize);
    checkArgument(
        copyPartSize >= MIN_PART && copyPartSize <= MAX_PART,
        "copyPartSize must be 5 MiB to 5 GiB: %s",
        copyPartSize);
    checkArgument(
        multipartThreshold >= 0 && multipartThreshold <= MAX_PART,
        "multipartThreshold must be at most 5 GiB: %s",
        multipartThreshold);
    checkArgument(
        copyThreshold >= 0 && copyThreshold <= MAX_PART,
        "copyThreshold must be at most 5 GiB: %s",
        copyThreshold);
    checkArgument(partSize <= Integer.MAX_VALUE - 8, "partSize must fit one buffer: %s", partSize);
  }
}
