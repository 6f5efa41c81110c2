/**
 * InfluxDB 3 object-store layouts: node ids, the kinds of object a node prefix holds, and the
 * classifier that maps every key to a kind for all released naming generations (three catalog
 * generations, two Parquet path forms), with sequence numbers parsed from names. Keys nobody
 * documented are {@link io.influxbak.layout.ObjectKind#UNKNOWN}: copied and reported, never
 * dropped.
 */
@ParametersAreNonnullByDefault
@CheckReturnValue
package io.influxbak.layout;

import javax.annotation.CheckReturnValue;
import javax.annotation.ParametersAreNonnullByDefault;
