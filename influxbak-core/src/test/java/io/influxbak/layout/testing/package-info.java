/**
 * jqwik generators of realistic InfluxDB 3 node trees, shipped in influxbak-core's test-jar for
 * every module's tests and for embedders: snapshot JSON that references the generated Parquet
 * files, WAL and catalog files with their real framing and CRCs, every catalog generation and both
 * Parquet path forms; and a simulated server ({@link
 * io.influxbak.layout.testing.SimulatedCoreServer}) that writes such a tree one object operation at
 * a time, to interleave with a backup.
 */
@ParametersAreNonnullByDefault
package io.influxbak.layout.testing;

import javax.annotation.ParametersAreNonnullByDefault;
