/**
 * Pinning a node to a snapshot while the server writes: which objects a consistent copy holds at
 * the pin ({@link io.influxbak.pin.PinnedSelection}), whether copied derived objects agree with it
 * ({@link io.influxbak.pin.DerivedObjects}), the catalog logs written meanwhile ({@link
 * io.influxbak.pin.CatalogTopUp}), and the point a copy is consistent to ({@link
 * io.influxbak.pin.ConsistencyPoint}).
 */
@ParametersAreNonnullByDefault
package io.influxbak.pin;

import javax.annotation.ParametersAreNonnullByDefault;
