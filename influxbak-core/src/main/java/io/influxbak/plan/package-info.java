/**
 * Backup and restore plans: the copy order as data ({@link io.influxbak.plan.CopyPhase}, {@link
 * io.influxbak.plan.CopyOrder}), the entry points ({@link io.influxbak.plan.BackupPlan}, {@link
 * io.influxbak.plan.RestorePlan}), their options and their immutable results.
 */
@ParametersAreNonnullByDefault
@CheckReturnValue
package io.influxbak.plan;

import javax.annotation.CheckReturnValue;
import javax.annotation.ParametersAreNonnullByDefault;
