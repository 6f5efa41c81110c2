package io.influxbak.manifest;

/** The InfluxDB 3 product a backup was made of. */
public enum Product {
  /** InfluxDB 3 Core: one node. */
  CORE,
  /** InfluxDB 3 Enterprise: a cluster of nodes. */
  ENTERPRISE
}
