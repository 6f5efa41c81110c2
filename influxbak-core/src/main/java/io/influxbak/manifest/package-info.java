/**
 * Backup manifests: what a backup holds, written last and atomically as {@code
 * <backup-id>/manifest.json} (a versioned JSON format, {@link
 * io.influxbak.manifest.ManifestFormat}), and the listing of the backups in a store. A backup
 * without a manifest is incomplete.
 */
@ParametersAreNonnullByDefault
@CheckReturnValue
package io.influxbak.manifest;

import javax.annotation.CheckReturnValue;
import javax.annotation.ParametersAreNonnullByDefault;
