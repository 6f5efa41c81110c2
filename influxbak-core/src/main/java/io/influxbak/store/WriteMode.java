package io.influxbak.store;

/** What a write does when its key already exists. */
public enum WriteMode {
  /**
   * Only if absent: the store's native atomic condition (S3 {@code If-None-Match: *}, Azure {@code
   * If-None-Match: *}, GCS {@code ifGenerationMatch=0}, an atomic link on a file system). An
   * existing object is left untouched and {@link ObjectAlreadyExistsException} is thrown. Nobody
   * ever sees a partial object.
   */
  CREATE_NEW,
  /**
   * Only if absent, as {@link #CREATE_NEW}, for a key under a root its writer has claimed, where an
   * object counts only once a later change says the writing ended: a new backup's root behind its
   * start marker and lease (a journal chunk or manifest written after the object names it), or a
   * restore's node prefix behind its lease and restore marker (deleted once every object is in
   * place). A store may then create the object in place instead of publishing it whole: a crash can
   * leave a partial object under the key, which nothing names (the restore's marker stays) and a
   * resume replaces. The file-system store does so, saving a temporary file, a link, an unlink and
   * a directory sync per object, and makes such objects durable before its next change that is not
   * in place (the journal chunk, manifest or marker's delete that publishes them) or its close.
   * Object stores write atomically anyway and treat it as {@link #CREATE_NEW}.
   */
  CREATE_IN_CLAIMED_ROOT,
  /**
   * Replace an existing object atomically. Used only when a caller explicitly asked to replace
   * data.
   */
  REPLACE,
  /**
   * As {@link #REPLACE}, for a key under a root its writer has claimed (see {@link
   * #CREATE_IN_CLAIMED_ROOT}) where an object already there can only be what an interrupted run of
   * the same work left: a resumed backup's root, a resumed restore's node prefix. An existing
   * object is replaced atomically; an absent one may be created in place, as {@link
   * #CREATE_IN_CLAIMED_ROOT} creates it. The file-system store does so, staging only the
   * replacements (so a resume costs what a new run costs, where staging every object took a resumed
   * backup of 20,000 files a quarter longer); object stores write atomically anyway and treat it as
   * {@link #REPLACE}.
   */
  REPLACE_IN_CLAIMED_ROOT;

  /**
   * Whether the write refuses an existing object ({@link #CREATE_NEW}, {@link
   * #CREATE_IN_CLAIMED_ROOT}).
   */
  public boolean createOnly() {
    return this == CREATE_NEW || this == CREATE_IN_CLAIMED_ROOT;
  }
}
