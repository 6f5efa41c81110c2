/**
 * Backing up a Core node or an Enterprise cluster: {@link io.influxbak.backup.BackupPlan}, the
 * entry point, over a sealed target; one run's state as {@link io.influxbak.backup.BackupRun};
 * re-pinning while the server writes; the options and the result.
 */
@ParametersAreNonnullByDefault
package io.influxbak.backup;

import javax.annotation.ParametersAreNonnullByDefault;
