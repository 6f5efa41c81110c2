package io.influxbak.verify;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import io.influxbak.manifest.ManifestFormat;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectLock;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * @param lock for a backup that locked its objects, the earliest lock the store holds them under
 *     (asked of the store for every object the backup needs); empty for a backup without locks
 */
public record VerifyReport(
    String backupId,
    boolean deep,
    long objectsChecked,
    long bytesRead,
    Map<String, Long> contentNotCompared,
    List<VerifyFinding> findings,
    Optional<ObjectLock> lock) {
  /** Copies the findings. */
  public VerifyReport {
    requireNonNull(backupId, "backupId is null");
    requireNonNull(lock, "lock is null");
    contentNotCompared = ImmutableSortedMap.copyOf(contentNotCompared);
    findings = ImmutableList.copyOf(findings);
  }

  /** A report of a backup without locks. */
  public VerifyReport(
      String backupId,
      boolean deep,
      long objectsChecked,
      long bytesRead,
      Map<String, Long> contentNotCompared,
      List<VerifyFinding> findings) {
    this(backupId, deep, objectsChecked, bytesRead, contentNotCompared, findings, Optional.empty());
  }

  /** The verdict of a deep or shallow verify on a backup whose manifest does not read: why. */
  static VerifyReport unreadableManifest(String backupId, boolean deep, IOException e) {
    return manifestOnly(
        backupId,
        deep,
        VerifyFinding.Problem.UNREADABLE,
        "the manifest does not read here: " + e.getMessage());
  }

  /** The verdict of a deep or shallow verify on a backup without a manifest. */
  static VerifyReport noManifest(String backupId, boolean deep) {
    return manifestOnly(
        backupId, deep, VerifyFinding.Problem.NO_MANIFEST, "no manifest: the backup is incomplete");
  }

  private static VerifyReport manifestOnly(
      String backupId, boolean deep, VerifyFinding.Problem problem, String detail) {
    ObjectKey manifest = KeyPrefix.of(backupId).resolve(ManifestFormat.FILE_NAME);
    return new VerifyReport(
        backupId, deep, 0, 0, Map.of(), List.of(new VerifyFinding(manifest, problem, detail)));
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
