/**
 * Retention: removing old backups by policy ({@link io.influxbak.retention.RetentionPolicy})
 * without ever deleting an object a remaining backup needs, in steps that leave every remaining
 * backup restorable if a prune stops at any point ({@link io.influxbak.retention.Prune}).
 */
@ParametersAreNonnullByDefault
@CheckReturnValue
package io.influxbak.retention;

import javax.annotation.CheckReturnValue;
import javax.annotation.ParametersAreNonnullByDefault;
