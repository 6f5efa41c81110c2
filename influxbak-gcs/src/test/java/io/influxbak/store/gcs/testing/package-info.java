/** A GCS JSON API test server on the JDK's HTTP server, for this module's and cross-store tests. */
@ParametersAreNonnullByDefault
package io.influxbak.store.gcs.testing;

import javax.annotation.ParametersAreNonnullByDefault;
