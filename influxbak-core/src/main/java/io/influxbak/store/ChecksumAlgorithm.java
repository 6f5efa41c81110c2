package io.influxbak.store;

/**
 * Checksum algorithms that object stores keep natively and that influxbak computes while data
 * streams.
 */
public enum ChecksumAlgorithm {
  /** CRC-32C (Castagnoli), 4 bytes: kept by GCS and, on request, by S3. */
  CRC32C(4),
  /**
   * MD5, 16 bytes: Azure's Content-MD5, GCS's md5Hash, the S3 ETag of a single-part, non-KMS
   * object.
   */
  MD5(16),
  /** SHA-256, 32 bytes: influxbak's tamper-evidence hash; S3 can keep it too. */
  SHA256(32);

  private final int byteLength;

  ChecksumAlgorithm(int byteLength) {
    this.byteLength = byteLength;
  }

  /** Length of a digest of this algorithm, in bytes. */
  public int byteLength() {
    return byteLength;
  }
}
