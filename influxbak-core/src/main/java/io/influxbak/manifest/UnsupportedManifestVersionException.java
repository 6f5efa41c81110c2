package io.influxbak.manifest;

/**
 * A manifest of a format version newer than this library reads: upgrade influxbak to restore it.
 */
public final class UnsupportedManifestVersionException extends ManifestException {
  private static final long serialVersionUID = 1L;

  /**
   * @param manifest the manifest's key
   * @param version its format version
   */
  public UnsupportedManifestVersionException(String manifest, int version) {
    super(
        manifest,
        "formatVersion "
            + version
            + " is newer than the "
            + ManifestFormat.CURRENT_VERSION
            + " this influxbak reads; use a newer influxbak",
        null);
  }
}
