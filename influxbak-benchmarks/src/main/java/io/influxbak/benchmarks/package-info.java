/**
 * Benchmarks that print each figure as a ratio against a baseline run in the same command on the
 * same data (median of several runs): influxbak's file-system backup against {@code cp -r}, the
 * durable variant against {@code cp -r && sync}, and the heap a plan of a million objects needs.
 */
@ParametersAreNonnullByDefault
package io.influxbak.benchmarks;

import javax.annotation.ParametersAreNonnullByDefault;
