/**
 * Verifying backups against their manifests: shallow (existence, size and the store's native
 * checksum; no object data read where the store keeps checksums) and deep (every byte re-read and
 * re-hashed, and the internal CRC framing of WAL and catalog files checked, which catches
 * corruption that predates the backup).
 */
@ParametersAreNonnullByDefault
@CheckReturnValue
package io.influxbak.verify;

import javax.annotation.CheckReturnValue;
import javax.annotation.ParametersAreNonnullByDefault;
