/**
 * Google Cloud KMS as the key that wraps encrypted backups' data keys ({@code
 * gcp-kms:projects/P/locations/L/keyRings/R/cryptoKeys/K}), over Cloud KMS's JSON API: {@link
 * io.influxbak.encryption.gcp.GcpKmsKey}, opened by {@link
 * io.influxbak.encryption.gcp.GcpKmsKeyProvider}.
 */
@ParametersAreNonnullByDefault
package io.influxbak.encryption.gcp;

import javax.annotation.ParametersAreNonnullByDefault;
