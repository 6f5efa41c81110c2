/**
 * The local file-system {@link io.influxbak.store.ObjectStore} (scheme {@code file:}), for
 * InfluxDB's {@code --object-store file} data directories and for backups on local or mounted
 * disks. Writes are atomic (temporary file in the same directory, fsync, then link or rename, then
 * directory fsync); no path ever leaves the root, and symbolic links are never followed.
 */
@ParametersAreNonnullByDefault
@CheckReturnValue
package io.influxbak.store.fs;

import javax.annotation.CheckReturnValue;
import javax.annotation.ParametersAreNonnullByDefault;
