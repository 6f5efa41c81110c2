/**
 * InfluxDB 3 snapshot files ({@code snapshots/*.info.json}) and table indexes ({@code
 * db-indices/.../index.info.json}): strict parsing into immutable values, and the live Parquet set
 * of a node that they define.
 */
@ParametersAreNonnullByDefault
@CheckReturnValue
package io.influxbak.snapshot;

import javax.annotation.CheckReturnValue;
import javax.annotation.ParametersAreNonnullByDefault;
