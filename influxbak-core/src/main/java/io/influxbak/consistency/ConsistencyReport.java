package io.influxbak.consistency;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.layout.NodeId;
import java.util.List;
import java.util.OptionalLong;

/**
 * The result of a consistency check of one node.
 *
 * @param node the node checked
 * @param newestSnapshot the newest snapshot's sequence, if the node has snapshots
 * @param walSequence the WAL sequence that snapshot persisted up to, if any
 * @param walFilesAfterSnapshot WAL files holding data newer than the newest snapshot
 * @param findings one entry per finding
 */
public record ConsistencyReport(
    NodeId node,
    OptionalLong newestSnapshot,
    OptionalLong walSequence,
    long walFilesAfterSnapshot,
    List<Finding> findings) {
  /** Checks the parts and copies the findings. */
  public ConsistencyReport {
    requireNonNull(node, "node is null");
    requireNonNull(newestSnapshot, "newestSnapshot is null");
    requireNonNull(walSequence, "walSequence is null");
    findings = ImmutableList.copyOf(findings);
  }

  /** Whether no finding is an {@link Finding.Severity#ERROR}. */
  public boolean consistent() {
    return findings.stream().noneMatch(f -> f.severity() == Finding.Severity.ERROR);
  }
}
