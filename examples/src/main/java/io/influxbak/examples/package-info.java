/** Runnable examples of the influxbak API. */
@ParametersAreNonnullByDefault
package io.influxbak.examples;

import javax.annotation.ParametersAreNonnullByDefault;
