/**
 * The copy engine shared by backup and restore: steps copied phase by phase in a copy order, in
 * parallel inside a phase ({@link io.influxbak.transfer.PhasedTransfer}), each copy proving what it
 * copied ({@link io.influxbak.transfer.ObjectCopier}); one retry loop; and one settings value for
 * parallelism, executor, clock, retries, cancellation and progress ({@link
 * io.influxbak.transfer.TransferSettings}).
 */
@ParametersAreNonnullByDefault
@CheckReturnValue
package io.influxbak.transfer;

import javax.annotation.CheckReturnValue;
import javax.annotation.ParametersAreNonnullByDefault;
