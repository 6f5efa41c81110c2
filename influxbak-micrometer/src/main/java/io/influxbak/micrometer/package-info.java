/**
 * Micrometer meters for influxbak: {@link io.influxbak.micrometer.InfluxbakMeters} records what
 * backups, restores, verifies and prunes did, and hears copies, bytes, retries and re-pins as they
 * happen through the {@link io.influxbak.transfer.ProgressListener} it hands out.
 */
@ParametersAreNonnullByDefault
package io.influxbak.micrometer;

import javax.annotation.ParametersAreNonnullByDefault;
