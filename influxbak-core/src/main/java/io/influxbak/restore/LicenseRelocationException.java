package io.influxbak.restore;

import static java.util.Objects.requireNonNull;

import io.influxbak.store.ObjectKey;
import io.influxbak.store.StoreId;
import java.io.IOException;

/**
 * A restore would put Enterprise licence files where they were not issued for. Licences are bound
 * to the cloud provider, bucket and, for file storage, the exact path: restored elsewhere they are
 * invalid. Nothing was written. Restore without them ({@link
 * RestoreOptions.Builder#withoutLicenses()}) or accept the move ({@link
 * RestoreOptions.Builder#acceptLicenseRelocation()}).
 */
public final class LicenseRelocationException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param license the licence file
   * @param target the store the restore writes to
   * @param reason why the move cannot be accepted silently
   */
  public LicenseRelocationException(ObjectKey license, StoreId target, String reason) {
    super(
        "Cannot restore licence file "
            + requireNonNull(license, "license is null")
            + " to "
            + requireNonNull(target, "target is null")
            + ": "
            + requireNonNull(reason, "reason is null")
            + "; restore without licences or explicitly accept the relocation");
  }
}
