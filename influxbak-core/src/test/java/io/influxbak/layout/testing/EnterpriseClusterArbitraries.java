package io.influxbak.layout.testing;

import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.ClusterId;
import io.influxbak.layout.NodeId;
import io.influxbak.layout.ObjectKind;
import io.influxbak.layout.testing.GeneratedNode.GeneratedObject;
import io.influxbak.store.ObjectKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generates InfluxDB 3 Enterprise clusters: 1 to 4 data nodes (each a generated Core node tree),
 * with or without a compactor and its opaque {@code cs/}, {@code cd/}, {@code c/} output, a cluster
 * catalog of one or two generations, the {@code enterprise} file, any subset of the two licence
 * files, and sometimes the built-in backup tool's {@code backups/}.
 */
public final class EnterpriseClusterArbitraries {
  private EnterpriseClusterArbitraries() {}

  /** Generated clusters. */
  public static Arbitrary<GeneratedCluster> clusters() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 4),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 3),
            Arbitraries.longs())
        .as(EnterpriseClusterArbitraries::build);
  }

  /**
   * Builds one cluster deterministically.
   *
   * @param dataNodes number of data nodes
   * @param withCompactor whether the cluster has a compactor with output
   * @param licenses bit 1: {@code commercial_license}; bit 2: {@code trial_or_home_license}
   * @param seed randomness for the node trees and file contents
   */
  public static GeneratedCluster build(
      int dataNodes, boolean withCompactor, int licenses, long seed) {
    Random random = new Random(seed);
    ClusterId cluster = ClusterId.of("cluster-" + Math.floorMod(seed, 7));
    TreeMap<ObjectKey, GeneratedObject> objects = new TreeMap<>();
    List<NodeId> nodes = new ArrayList<>();
    for (int i = 0; i < dataNodes; i++) {
      NodeId node = NodeId.of("data" + i);
      nodes.add(node);
      objects.putAll(
          CoreNodeArbitraries.build(
                  node,
                  1 + random.nextInt(2),
                  1 + random.nextInt(2),
                  random.nextInt(4),
                  random.nextInt(4),
                  List.of(CatalogGeneration.V3),
                  0,
                  random.nextLong())
              .objects());
    }
    Optional<NodeId> compactor = Optional.empty();
    if (withCompactor) {
      NodeId node = NodeId.of("compactor");
      compactor = Optional.of(node);
      objects.putAll(
          CoreNodeArbitraries.build(
                  node, 1, 1, 1, 1, List.of(CatalogGeneration.V3), 0, random.nextLong())
              .objects());
      for (String directory : new String[] {"cs", "cd", "c"}) {
        for (int i = 0; i <= random.nextInt(3); i++) {
          byte[] bytes = new byte[16 + random.nextInt(500)];
          random.nextBytes(bytes);
          objects.put(
              ObjectKey.of(
                  String.format(
                      "compactor/%s/%020d.%s",
                      directory, i, directory.equals("c") ? "parquet" : "json")),
              new GeneratedObject(ObjectKind.COMPACTOR_FILE, bytes));
        }
      }
    }
    String c = cluster.toString();
    CoreNodeArbitraries.addCatalogs(
        objects,
        c,
        random.nextBoolean()
            ? List.of(CatalogGeneration.V3)
            : List.of(CatalogGeneration.V2, CatalogGeneration.V3),
        random);
    objects.put(
        ObjectKey.of(c + "/enterprise"),
        new GeneratedObject(
            ObjectKind.ENTERPRISE_CONFIG, "{\"mode\":\"all\"}".getBytes(StandardCharsets.UTF_8)));
    if ((licenses & 1) != 0) {
      objects.put(
          ObjectKey.of(c + "/commercial_license"),
          new GeneratedObject(ObjectKind.LICENSE, "license-a".getBytes(StandardCharsets.UTF_8)));
    }
    if ((licenses & 2) != 0) {
      objects.put(
          ObjectKey.of(c + "/trial_or_home_license"),
          new GeneratedObject(ObjectKind.LICENSE, "license-b".getBytes(StandardCharsets.UTF_8)));
    }
    if (random.nextInt(4) == 0) {
      objects.put(
          ObjectKey.of(c + "/backups/weekly/manifest.json"),
          new GeneratedObject(ObjectKind.CLUSTER_BACKUP, "{}".getBytes(StandardCharsets.UTF_8)));
    }
    return new GeneratedCluster(cluster, nodes, compactor, objects);
  }
}
