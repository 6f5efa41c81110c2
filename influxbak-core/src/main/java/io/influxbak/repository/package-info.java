/**
 * How backups live in a store: {@link io.influxbak.repository.BackupId}, the start and retired
 * markers, the journal of a running backup, finding, reading and writing manifests, what a backup
 * may reuse from earlier ones, and the checks on a backup's root ({@link
 * io.influxbak.repository.BackupRepository}).
 */
@ParametersAreNonnullByDefault
package io.influxbak.repository;

import javax.annotation.ParametersAreNonnullByDefault;
