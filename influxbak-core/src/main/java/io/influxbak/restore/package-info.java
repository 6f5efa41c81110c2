/**
 * Restoring a backup into a target store, driven by its manifest, in the documented restore order:
 * {@link io.influxbak.restore.RestorePlan}, its options, preview and result.
 */
@ParametersAreNonnullByDefault
package io.influxbak.restore;

import javax.annotation.ParametersAreNonnullByDefault;
