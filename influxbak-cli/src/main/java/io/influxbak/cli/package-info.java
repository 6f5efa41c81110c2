/**
 * The {@code influxbak} ops command line: backup and restore of InfluxDB 3 nodes between stores
 * given as URIs, with progress on stderr, JSON results on stdout and documented exit codes. Also a
 * worked example of the library API.
 */
@ParametersAreNonnullByDefault
package io.influxbak.cli;

import javax.annotation.ParametersAreNonnullByDefault;
