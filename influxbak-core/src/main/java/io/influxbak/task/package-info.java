/**
 * Copy work as data, for engines that run it on other machines (Apache Spark, Beam, Flink): a
 * phase's steps in batches ({@link io.influxbak.task.CopyTask}) that name their stores by location
 * and carry everything a copy needs, encoded as text; one task run on its own wherever it is
 * decoded ({@link io.influxbak.task.CopyTask#run}), recording what it copied in the backup's
 * journal; its report ({@link io.influxbak.task.TaskReport}); and the engine contract ({@link
 * io.influxbak.task.CopyEngine}). The driver side ({@link io.influxbak.task.EngineCopy}) keeps what
 * only it can do (what is reused, the phase order, merging the reports) and hands the copies to the
 * engine.
 */
@ParametersAreNonnullByDefault
@CheckReturnValue
package io.influxbak.task;

import javax.annotation.CheckReturnValue;
import javax.annotation.ParametersAreNonnullByDefault;
