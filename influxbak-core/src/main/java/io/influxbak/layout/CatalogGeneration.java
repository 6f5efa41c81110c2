package io.influxbak.layout;

/**
 * The three on-disk catalog generations. An upgraded store holds several side by side; the older
 * ones end with an {@code idb3.EOF.l} marker log and are stale, only the newest present is live.
 * All are copied.
 */
public enum CatalogGeneration {
  /** 3.0 to 3.3: {@code catalogs/<seq>.catalog} and {@code _catalog_checkpoint}. */
  V1("catalogs/", "_catalog_checkpoint"),
  /** 3.4 to 3.9: {@code catalog/v2/logs/<seq>.catalog} and {@code catalog/v2/snapshot}. */
  V2("catalog/v2/logs/", "catalog/v2/snapshot"),
  /** 3.10 and later: {@code catalog/v3/logs/<seq>.catalog} and {@code catalog/v3/snapshot}. */
  V3("catalog/v3/logs/", "catalog/v3/snapshot");

  private final String logDirectory;
  private final String checkpoint;

  CatalogGeneration(String logDirectory, String checkpoint) {
    this.logDirectory = logDirectory;
    this.checkpoint = checkpoint;
  }

  /** The log directory relative to the node prefix, with its trailing '/'. */
  public String logDirectory() {
    return logDirectory;
  }

  /**
   * The checkpoint (3.0 to 3.3) or snapshot (3.4 and later) object, relative to the node prefix.
   */
  public String checkpoint() {
    return checkpoint;
  }
}
