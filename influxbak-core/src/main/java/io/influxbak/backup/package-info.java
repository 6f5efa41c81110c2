/**
 * Backing up a Core node or an Enterprise cluster: {@link io.influxbak.backup.BackupPlan}, the
 * entry\n * point, over a sealed target; one run's state as {@link io.influxbak.backup.BackupRun};
 * re-pinning\n * while the server writes; the options and the result.
 */
@ParametersAreNonnullByDefault
package io.influxbak.backup;

import javax.annotation.ParametersAreNonnullByDefault;
