/**
 * Client-side encryption of backups: one random {@link io.influxbak.encryption.DataKey} per backup
 * encrypts its objects, manifest and journal in authenticated segments (AES-256-GCM, a key per
 * object derived with HKDF-SHA256 from the data key, a salt and the object's stored key); a {@link
 * io.influxbak.encryption.KeyEncryptionKey} (a local key, or a cloud KMS key from an adapter) wraps
 * the data key, and the wrapped form is stored beside the manifest. The segment format is described
 * in {@code docs/encryption.md}.
 *
 * <p>Nothing here knows of InfluxDB or of backups' layout; keys never appear in a {@code toString},
 * a log line or an exception.
 */
@ParametersAreNonnullByDefault
@CheckReturnValue
package io.influxbak.encryption;

import javax.annotation.CheckReturnValue;
import javax.annotation.ParametersAreNonnullByDefault;
