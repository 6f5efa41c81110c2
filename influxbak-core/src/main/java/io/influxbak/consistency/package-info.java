/**
 * The consistency check of a node held in any store, live or a backup: newest snapshot, live
 * Parquet files present with their sizes, orphans, WAL files after the snapshot, the live catalog
 * generation contiguous and covering the snapshots, and the internal CRC framing of WAL and catalog
 * files.
 */
@ParametersAreNonnullByDefault
@CheckReturnValue
package io.influxbak.consistency;

import javax.annotation.CheckReturnValue;
import javax.annotation.ParametersAreNonnullByDefault;
