/** Test kit for whole backups: what a backup should restore to, and the check that it does. */
@ParametersAreNonnullByDefault
package io.influxbak.backup.testing;

import javax.annotation.ParametersAreNonnullByDefault;
