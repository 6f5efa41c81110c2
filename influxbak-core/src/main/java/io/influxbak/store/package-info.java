/**
 * The object-store SPI: a small, synchronous, thread-safe interface ({@link
 * io.influxbak.store.ObjectStore}) over a flat namespace of immutable objects, its value types
 * ({@link io.influxbak.store.ObjectKey}, {@link io.influxbak.store.KeyPrefix}, {@link
 * io.influxbak.store.ObjectInfo}, {@link io.influxbak.store.Checksum}) and the {@link
 * java.util.ServiceLoader} lookup of adapters by URI ({@link io.influxbak.store.ObjectStores}).
 *
 * <p>Everything InfluxDB-specific lives elsewhere in core; adapters translate calls, they never
 * decide.
 */
@ParametersAreNonnullByDefault
@CheckReturnValue
package io.influxbak.store;

import javax.annotation.CheckReturnValue;
import javax.annotation.ParametersAreNonnullByDefault;
