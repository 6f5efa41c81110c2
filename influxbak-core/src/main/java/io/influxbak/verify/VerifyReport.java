package io.influxbak.verify;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.List;
import java.util.Map;

/**
 * What a verify found.
 *
 * @param backupId the backup verified
 * @param deep whether every byte was re-read (deep) or only metadata compared (shallow)
 * @param objectsChecked objects of the manifest checked
 * @param bytesRead object bytes read (0 for a shallow verify of a store with native checksums)
 * @param contentNotCompared objects whose content was not compared, by reason (a shallow verify
 *     compares content by the store's native CRC32C; the file system keeps none, and an object
 *     written without one has none): for them only the size was compared. Empty for a deep verify,
 *     which reads every byte
 * @param findings every problem, one entry each
 */
public record VerifyReport(
    String backupId,
    boolean deep,
    long objectsChecked,
    long bytesRead,
    Map<String, Long> contentNotCompared,
    List<VerifyFinding> findings) {
  /** Copies the findings. */
  public VerifyReport {
    requireNonNull(backupId, "backupId is null");
    contentNotCompared = ImmutableSortedMap.copyOf(contentNotCompared);
    findings = ImmutableList.copyOf(findings);
  }

  /**
   * Whether nothing wrong was found: no finding at all (content may not all have been compared).
   */
  public boolean passed() {
    return findings.isEmpty();
  }

  /** Objects whose content was compared (by native checksum, or by reading it). */
  public long contentCompared() {
    return objectsChecked - contentNotCompared.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Whether the backup is intact as far as can be told: nothing wrong found, and every object's
   * content compared, not only its size.
   */
  public boolean intact() {
    return passed() && contentCompared() == objectsChecked;
  }
}
