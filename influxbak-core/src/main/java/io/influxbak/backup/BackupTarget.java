package io.influxbak.backup;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.CopyOrder;
import io.influxbak.layout.CoreLayout;
import io.influxbak.layout.EnterpriseLayout;
import io.influxbak.layout.NodeId;
import io.influxbak.manifest.Product;
import java.util.List;
import java.util.Optional;

/** What a backup copies: one Core node, or an Enterprise cluster with its nodes and compactor. */
sealed interface BackupTarget {
  /** The nodes backed up (for a cluster: the data nodes, then the compactor). */
  List<NodeId> nodes();

  /** The cluster backed up, for Enterprise. */
  Optional<ClusterId> cluster();

  /** The product the manifest records. */
  Product product();

  /** The documented backup order. */
  CopyOrder order();

  /** The prefixes to back up, each with how its keys are classified. */
  List<Scope> scopes();

  /** One InfluxDB 3 Core node. */
  record CoreNode(NodeId node) implements BackupTarget {
    public CoreNode {
      requireNonNull(node, "node is null");
    }

    @Override
    public List<NodeId> nodes() {
      return ImmutableList.of(node);
    }

    @Override
    public Optional<ClusterId> cluster() {
      return Optional.empty();
    }

    @Override
    public Product product() {
      return Product.CORE;
    }

    @Override
    public CopyOrder order() {
      return CopyOrder.CORE_BACKUP;
    }

    @Override
    public List<Scope> scopes() {
      CoreLayout layout = CoreLayout.of(node);
      return ImmutableList.of(new Scope(node.prefix(), layout::classify, Optional.of(node)));
    }
  }

  /**
   * An InfluxDB 3 Enterprise cluster.
   *
   * @param dataNodes its data nodes, as named by the caller
   * @param compactor its compactor node, if any
   */
  record EnterpriseCluster(ClusterId id, List<NodeId> dataNodes, Optional<NodeId> compactor)
      implements BackupTarget {
    public EnterpriseCluster {
      requireNonNull(id, "id is null");
      dataNodes = ImmutableList.copyOf(dataNodes);
      requireNonNull(compactor, "compactor is null");
    }

    /**
     * The cluster's layout.
     *
     * @throws IllegalStateException if the plan names no node
     */
    EnterpriseLayout layout() {
      if (dataNodes.isEmpty() && compactor.isEmpty()) {
        throw new IllegalStateException(
            "Enterprise plan for cluster " + id + " names no node: call nodes(...)");
      }
      return EnterpriseLayout.of(id, dataNodes, compactor);
    }

    @Override
    public List<NodeId> nodes() {
      return layout().nodes();
    }

    @Override
    public Optional<ClusterId> cluster() {
      return Optional.of(id);
    }

    @Override
    public Product product() {
      return Product.ENTERPRISE;
    }

    @Override
    public CopyOrder order() {
      return CopyOrder.ENTERPRISE_BACKUP;
    }

    @Override
    public List<Scope> scopes() {
      EnterpriseLayout layout = layout();
      ImmutableList.Builder<Scope> scopes = ImmutableList.builder();
      scopes.add(new Scope(id.prefix(), layout::classifyClusterKey, Optional.empty()));
      for (NodeId node : layout.nodes()) {
        scopes.add(
            new Scope(node.prefix(), key -> layout.classifyNodeKey(node, key), Optional.of(node)));
      }
      return scopes.build();
    }
  }
}
