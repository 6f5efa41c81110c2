/** Backups across kinds of stores, against every adapter's test server. */
@ParametersAreNonnullByDefault
package io.influxbak.examples.crossstore;

import javax.annotation.ParametersAreNonnullByDefault;
