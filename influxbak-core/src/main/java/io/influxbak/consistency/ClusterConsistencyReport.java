package io.influxbak.consistency;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.NodeId;
import java.util.List;
import java.util.OptionalLong;

/**
 * The consistency check of an Enterprise cluster: one report per node, and the findings about the
 * cluster files (catalog, licences).
 *
 * @param cluster the cluster checked
 * @param nodes one report per node
 * @param clusterFindings findings about the cluster prefix
 */
public record ClusterConsistencyReport(
    ClusterId cluster, List<ConsistencyReport> nodes, List<Finding> clusterFindings) {
  /** Checks the parts and copies the lists. */
  public ClusterConsistencyReport {
    requireNonNull(cluster, "cluster is null");
    nodes = ImmutableList.copyOf(nodes);
    clusterFindings = ImmutableList.copyOf(clusterFindings);
  }

  /**
   * The node reports, then the cluster files' findings as one more report named by the cluster id:
   * the form callers print and hand on beside Core nodes' reports.
   */
  public List<ConsistencyReport> reports() {
    return ImmutableList.<ConsistencyReport>builder()
        .addAll(nodes)
        .add(
            new ConsistencyReport(
                NodeId.of(cluster.toString()),
                OptionalLong.empty(),
                OptionalLong.empty(),
                0,
                clusterFindings))
        .build();
  }

  /** Whether every node and the cluster files are free of errors. */
  public boolean consistent() {
    return nodes.stream().allMatch(ConsistencyReport::consistent)
        && clusterFindings.stream().noneMatch(f -> f.severity() == Finding.Severity.ERROR);
  }
}
