package io.influxbak.store;

/** What a write does when its key already exists. */
public enum WriteMode {
  /**
   * Only if absent: the store's native atomic condition (S3 {@code If-None-Match: *}, Azure {@code
   * If-None-Match: *}, GCS {@code ifGenerationMatch=0}, an atomic link on a file system). An
   * existing object is left untouched and {@link ObjectAlreadyExistsException} is thrown. The
   * default for every backup write.
   */
  CREATE_NEW,
  /**
   * Replace an existing object atomically. Used only when a caller explicitly asked to replace
   * data.
   */
  REPLACE
}
