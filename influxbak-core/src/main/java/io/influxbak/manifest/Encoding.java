package io.influxbak.manifest;

/** How a backup keeps an object's bytes: as they are, or compressed. */
public enum Encoding {
  /** The object's own bytes, under its own key. */
  IDENTITY(""),
  /**
   * Gzip (RFC 1952) of the object's bytes, under its key plus {@code .gz}, so that a plain copy of
   * a backup cannot be mistaken for the data.
   */
  GZIP(".gz");

  private final String suffix;

  Encoding(String suffix) {
    this.suffix = suffix;
  }

  /** What the stored key adds to the object's key. */
  public String suffix() {
    return suffix;
  }
}
