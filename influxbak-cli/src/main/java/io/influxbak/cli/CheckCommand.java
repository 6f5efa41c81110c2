package io.influxbak.cli;

import com.google.common.collect.ImmutableMap;
import io.influxbak.consistency.ClusterConsistencyReport;
import io.influxbak.consistency.ConsistencyCheck;
import io.influxbak.consistency.ConsistencyReport;
import io.influxbak.consistency.Finding;
import io.influxbak.encryption.BackupKeys;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.EnterpriseLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.manifest.BackupManifest;
import io.influxbak.manifest.ManifestEntry;
import io.influxbak.repository.BackupId;
import io.influxbak.repository.BackupLookup;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupView;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectReader;
import io.influxbak.store.ObjectStore;
import io.influxbak.transfer.WatchedReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code influxbak check}: the consistency report of a live node or of a node in a backup; exit 4
 * if inconsistent.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check that a node, live or in a backup (--backup-id), is what an InfluxDB 3 server can start from:",
      "snapshots parse, live Parquet files are present with their sizes, WAL files after the snapshot, the live",
      "catalog generation contiguous and covering the snapshots, WAL and catalog CRC framing. Exit code 4 when not."
    })
final class CheckCommand implements Callable<Integer> {
  @ParentCommand Influxbak parent;
  @Spec CommandSpec spec;
  @Mixin CommonOptions common = new CommonOptions();
  @Mixin StoreOptions stores = new StoreOptions();
  @Mixin SourceOptions source = new SourceOptions();
  @Mixin BackupsOptions backups = new BackupsOptions();
  @Mixin KeyOptions keys = new KeyOptions();

  @Option(
      names = "--node",
      split = ",",
      description = "Core: the node id(s) to check, comma-separated.")
  List<String> coreNodes;

  @Option(
      names = "--nodes",
      split = ",",
      description = "Enterprise (with --cluster): the data node ids, comma-separated.")
  List<String> clusterNodes;

  @Option(
      names = "--backup-id",
      converter = BackupIdOption.class,
      description =
          "Check the node(s) inside this backup, read through its manifest as a restore lays them out: the same findings as a check of the restored node. A live Parquet file the source already lacked is the live check's warning; one the backup lost is an error.")
  String backupId;

  @Option(names = "--all", description = "Print informational findings too.")
  boolean all;

  @Option(
      names = "--cluster",
      description =
          "Enterprise: the cluster id (with --nodes); the catalog is checked under the cluster.")
  String cluster;

  @Option(names = "--compactor", description = "Enterprise: the compactor node id.")
  String compactor;

  /** {@code store}, read so that SIGINT and SIGTERM stop the check at its next read. */
  private ObjectReader watched(ObjectReader store) {
    return new WatchedReader(store, parent.cancellable(), "check");
  }

  /** The nodes to check: --node for Core, --nodes with --cluster for Enterprise. */
  private List<String> nodes() {
    if (cluster == null) {
      if (coreNodes == null || clusterNodes != null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "Give --node for a Core node, or --cluster with --nodes for Enterprise data nodes");
      }
      return coreNodes;
    }
    if (clusterNodes == null || coreNodes != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--cluster takes its data nodes as --nodes");
    }
    return clusterNodes;
  }

  @Override
  public Integer call() throws Exception {
    List<ConsistencyReport> reports = new ArrayList<>();
    List<String> nodes = nodes();
    StoreEnd end;
    if (backupId != null) {
      if (source.end().given()) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--backup-id checks a backup in --backups, not --source");
      }
      end = Ends.required(spec, backups.end());
    } else {
      if (backups.end().given()) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--backups needs --backup-id (the backup to check)");
      }
      end = Ends.required(spec, source.end());
    }
    try (ObjectStore opened = end.open(stores, false)) {
      if (backupId != null) {
        // Through the manifest, as a restore would lay the node out: the same findings as a check
        // of the restored node, for every kind of backup (incremental, compressed, resumed).
        BackupKeys read = keys.keys();
        BackupManifest manifest =
            BackupLookup.requireComplete(opened, BackupId.of(backupId), "check", read);
        for (String node : nodes) {
          if (!manifest.nodes().contains(NodeId.of(node))) {
            throw new CommandLine.ParameterException(
                spec.commandLine(),
                "Backup " + backupId + " holds node(s) " + manifest.nodes() + ", not " + node);
          }
        }
        reports.addAll(
            ConsistencyCheck.checkBackup(
                watched(
                    BackupView.of(
                        opened,
                        manifest,
                        BackupRepository.of(opened, read)
                            .dataKeys(
                                backupId,
                                manifest.entries().stream().map(ManifestEntry::stored).toList()))),
                KeyPrefix.ROOT,
                manifest));
      } else if (cluster == null) {
        for (String node : nodes) {
          reports.add(
              ConsistencyCheck.check(
                  watched(opened), KeyPrefix.ROOT, NodeId.of(node), ConsistencyCheck.Source.LIVE));
        }
      } else {
        EnterpriseLayout layout =
            EnterpriseLayout.of(
                ClusterId.of(cluster),
                nodes.stream().map(NodeId::of).toList(),
                Optional.ofNullable(compactor).map(NodeId::of));
        ClusterConsistencyReport report =
            ConsistencyCheck.checkCluster(
                watched(opened), KeyPrefix.ROOT, layout, ConsistencyCheck.Source.LIVE);
        reports.addAll(report.reports());
      }
    }
    boolean consistent = reports.stream().allMatch(ConsistencyReport::consistent);
    if (common.json) {
      parent.print(
          common,
          ImmutableMap.of(
              "consistent", consistent, "nodes", reports.stream().map(CheckCommand::json).toList()),
          "");
    } else {
      for (ConsistencyReport report : reports) {
        print(parent, report, all);
      }
    }
    return consistent ? ExitCodes.SUCCESS : ExitCodes.INCONSISTENT;
  }

  /** Prints a report: the verdict, then warnings and errors (and information with {@code all}). */
  static void print(Influxbak parent, ConsistencyReport report, boolean all) {
    parent
        .out()
        .printf(
            "Node %s: %s; newest snapshot %s, %d WAL file(s) after it%n",
            report.node(),
            report.consistent() ? "consistent" : "INCONSISTENT",
            report.newestSnapshot().isPresent()
                ? Long.toUnsignedString(report.newestSnapshot().getAsLong())
                : "none",
            report.walFilesAfterSnapshot());
    for (Finding finding : report.findings()) {
      if (all || finding.severity() != Finding.Severity.INFO) {
        parent.out().printf("  %s %s: %s%n", finding.severity(), finding.key(), finding.reason());
      }
    }
  }

  static Map<String, Object> json(ConsistencyReport report) {
    return ImmutableMap.of(
        "node", report.node().toString(),
        "consistent", report.consistent(),
        "newestSnapshot",
            report.newestSnapshot().isPresent()
                ? Long.toUnsignedString(report.newestSnapshot().getAsLong())
                : "",
        "walFilesAfterSnapshot", report.walFilesAfterSnapshot(),
        "findings",
            report.findings().stream()
                .<Map<String, Object>>map(
                    f ->
                        ImmutableMap.of(
                            "severity",
                            f.severity().name(),
                            "key",
                            f.key().toString(),
                            "reason",
                            f.reason()))
                .toList());
  }
}
