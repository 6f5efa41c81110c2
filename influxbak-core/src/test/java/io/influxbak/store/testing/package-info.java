/**
 * Test support shipped in influxbak-core's test-jar for every module and for embedders: the SPI
 * contract suite ({@link io.influxbak.store.testing.AbstractObjectStoreContractTest}), a strict
 * in-memory store and a call-counting wrapper, a listing whose objects pass through a change
 * ({@link io.influxbak.store.testing.MappedListing}), and a wrapper through which a deterministic
 * scheduler interleaves another actor with the caller ({@link
 * io.influxbak.store.testing.InterleavingObjectStore}).
 */
@ParametersAreNonnullByDefault
package io.influxbak.store.testing;

import javax.annotation.ParametersAreNonnullByDefault;
