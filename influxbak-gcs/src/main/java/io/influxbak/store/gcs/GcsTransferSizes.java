package io.influxbak.store.gcs;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Where GCS switches from one request to a resumable upload, the upload's chunk, and how much one
 * rewrite call copies. A multipart upload holds the object in memory (its CRC32C and MD5 are sent
 * with it, so the service checks them); a resumable upload holds one chunk.
 *
 * @param singleUploadMax objects up to this size are one multipart upload
 * @param chunkSize a resumable upload's chunk (a multiple of 256 KiB)
 * @param rewriteMegabytesPerCall how much one rewrite call copies before returning a token (0: the
 *     service's choice)
 */
public record GcsTransferSizes(long singleUploadMax, int chunkSize, long rewriteMegabytesPerCall) {
  /** 8 MiB multipart uploads, 16 MiB chunks, the service's rewrite size. */
  public static final GcsTransferSizes DEFAULT = new GcsTransferSizes(8L << 20, 16 << 20, 0);

  /** Checks the sizes. */
  public GcsTransferSizes {
    checkArgument(
        singleUploadMax >= 0 && singleUploadMax <= Integer.MAX_VALUE - 8,
        "singleUploadMax out of range: %s",
        singleUploadMax);
    checkArgument(
        chunkSize >= 256 << 10 && chunkSize % (256 << 10) == 0,
        "chunkSize must be a multiple of 256 KiB: %s",
        chunkSize);
    checkArgument(
        rewriteMegabytesPerCall >= 0,
        "rewriteMegabytesPerCall must not be negative: %s",
        rewriteMegabytesPerCall);
  }
}
