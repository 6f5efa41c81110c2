package io.influxbak.layout;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.annotation.concurrent.Immutable;

/**
 * The layout of an InfluxDB 3 Enterprise cluster: the cluster prefix ({@code <cluster-id>/}:
 * catalog of every generation, {@code commercial_license}, {@code trial_or_home_license}, {@code
 * enterprise}, and the built-in backup tool's {@code backups/}), the data nodes' prefixes (Core
 * layout), and the compactor node's prefix (Core layout plus the opaque {@code cs/}, {@code cd/}
 * and {@code c/}).
 */
@Immutable
public final class EnterpriseLayout {
  /** The licence files Enterprise keeps under the cluster prefix, bound to their store location. */
  public static final List<String> LICENSE_FILES =
      ImmutableList.of("commercial_license", "trial_or_home_license");

  private final ClusterId cluster;
  private final ImmutableList<NodeId> nodes;
  private final Optional<NodeId> compactor;

  private EnterpriseLayout(ClusterId cluster, List<NodeId> nodes, Optional<NodeId> compactor) {
    this.cluster = cluster;
    this.nodes = ImmutableList.copyOf(nodes);
    this.compactor = compactor;
  }

  /**
   * A cluster layout.
   *
   * @param nodes the data nodes (the compactor may be listed too, or only as {@code compactor})
   * @throws IllegalArgumentException if a prefix is repeated or one prefix contains another
   */
  public static EnterpriseLayout of(
      ClusterId cluster, List<NodeId> nodes, Optional<NodeId> compactor) {
    requireNonNull(cluster, "cluster is null");
    requireNonNull(compactor, "compactor is null");
    ImmutableList.Builder<NodeId> all = ImmutableList.<NodeId>builder().addAll(nodes);
    if (compactor.isPresent() && !nodes.contains(compactor.get())) {
      all.add(compactor.get());
    }
    ImmutableList<NodeId> distinct = all.build();
    checkArgument(
        distinct.stream().distinct().count() == distinct.size(), "Node repeated in %s", distinct);
    checkArgument(
        distinct.stream().noneMatch(node -> node.toString().equals(cluster.toString())),
        "Cluster id %s is also a node id",
        cluster);
    return new EnterpriseLayout(cluster, distinct, compactor);
  }

  /** The cluster id. */
  public ClusterId cluster() {
    return cluster;
  }

  /** Every node, data nodes first, the compactor last (once). */
  public List<NodeId> nodes() {
    return nodes;
  }

  /** The compactor node, if the cluster has one. */
  public Optional<NodeId> compactor() {
    return compactor;
  }

  /**
   * Classifies a key of the cluster prefix (with {@link NodeObject#node()} set to a {@link NodeId}
   * spelled as the cluster id, since cluster files have no node).
   *
   * @throws IllegalArgumentException if the key is not under the cluster prefix
   */
  public NodeObject classifyClusterKey(ObjectKey key) {
    KeyPrefix prefix = cluster.prefix();
    String relative = key.relativeTo(prefix); // throws for a key of another prefix
    NodeId asNode = NodeId.of(cluster.toString());
    if (LICENSE_FILES.contains(relative)) {
      return new NodeObject(
          asNode, key, ObjectKind.LICENSE, OptionalLong.empty(), Optional.empty());
    }
    switch (relative) {
      case "enterprise":
        return new NodeObject(
            asNode, key, ObjectKind.ENTERPRISE_CONFIG, OptionalLong.empty(), Optional.empty());
      default:
        break;
    }
    if (relative.startsWith("backups/")) {
      return new NodeObject(
          asNode, key, ObjectKind.CLUSTER_BACKUP, OptionalLong.empty(), Optional.empty());
    }
    // The cluster catalog has the same shapes as a node's (all three generations).
    NodeObject asCore = CoreLayout.of(asNode).classify(key);
    switch (asCore.kind()) {
      case CATALOG_LOG:
      case CATALOG_CHECKPOINT:
      case CATALOG_RESTORE_STAGING:
      case STAGING_FILE:
        return asCore;
      default:
        return new NodeObject(
            asNode, key, ObjectKind.UNKNOWN, OptionalLong.empty(), Optional.empty());
    }
  }

  /**
   * Classifies a key of a node prefix: the Core layout, plus {@code cs/}, {@code cd/} and {@code
   * c/} as compactor files under the compactor node.
   *
   * @throws IllegalArgumentException if the key is not under that node's prefix
   */
  public NodeObject classifyNodeKey(NodeId node, ObjectKey key) {
    NodeObject object = CoreLayout.of(node).classify(key);
    if (compactor.isPresent()
        && compactor.get().equals(node)
        && object.kind() == ObjectKind.UNKNOWN) {
      String relative = key.relativeTo(node.prefix());
      if (relative.startsWith("cs/") || relative.startsWith("cd/") || relative.startsWith("c/")) {
        return new NodeObject(
            node, key, ObjectKind.COMPACTOR_FILE, OptionalLong.empty(), Optional.empty());
      }
    }
    return object;
  }
}
