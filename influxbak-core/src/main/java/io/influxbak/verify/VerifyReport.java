package io.influxbak.verify;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * What a verify found.
 *
 * @param backupId the backup verified
 * @param deep whether every byte was re-read (deep) or only metadata compared (shallow)
 * @param objectsChecked objects of the manifest checked
 * @param bytesRead object bytes read (0 for a shallow verify of a store with native checksums)
 * @param findings every problem, one entry each
 */
public record VerifyReport(
    String backupId,
    boolean deep,
    long objectsChecked,
    long bytesRead,
    List<VerifyFinding> findings) {
  /** Copies the findings. */
  public VerifyReport {
    requireNonNull(backupId, "backupId is null");
    findings = ImmutableList.copyOf(findings);
  }

  /** Whether the backup is intact: no finding at all. */
  public boolean passed() {
    return findings.isEmpty();
  }
}
