package io.influxbak.pin;

import static java.util.Objects.requireNonNull;

import io.influxbak.layout.CatalogGeneration;
import io.influxbak.layout.CopyPhase;
import io.influxbak.layout.NodeObject;
import io.influxbak.layout.ObjectKind;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectInfo;
import io.influxbak.store.ObjectIterator;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectReader;
import io.influxbak.transfer.CopyStep;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The catalog logs a pinned backup lacks once everything else is copied. The plan's listing is
 * taken before the pin is read, and the server logs catalog changes all the time: a snapshot or WAL
 * batch copied later can depend on a catalog sequence the listing never saw, and a normal 3.10
 * start does not notice a missing log (that change is silently lost). Logs are create-only and
 * never deleted, so listing the log directories again after the WAL phase, and copying what is new,
 * gives the checkpoint plus every later log, contiguous, covering every snapshot and WAL file in
 * the backup.
 */
public final class CatalogTopUp {
  private CatalogTopUp() {}

  /**
   * Lists the catalog log directories of every generation under {@code prefix} (a node, or an
   * Enterprise cluster) and returns a step for each log the backup does not hold yet.
   *
   * @param classifier classifies the keys under {@code prefix}
   * @param copied the catalog logs the backup holds, by node key
   */
  public static List<CopyStep> missingLogs(
      ObjectReader source,
      KeyPrefix prefix,
      Function<ObjectKey, NodeObject> classifier,
      Set<ObjectKey> copied)
      throws IOException {
    requireNonNull(source, "source is null");
    requireNonNull(prefix, "prefix is null");
    requireNonNull(classifier, "classifier is null");
    requireNonNull(copied, "copied is null");
    List<CopyStep> steps = new ArrayList<>();
    for (CatalogGeneration generation : CatalogGeneration.values()) {
      try (ObjectIterator listing = source.list(prefix.resolvePrefix(generation.logDirectory()))) {
        while (listing.hasNext()) {
          ObjectInfo info = listing.next();
          if (!copied.contains(info.key())
              && classifier.apply(info.key()).kind() == ObjectKind.CATALOG_LOG) {
            steps.add(
                new CopyStep(
                    info.key(), ObjectKind.CATALOG_LOG, CopyPhase.CATALOG_LOGS, info.size()));
          }
        }
      }
    }
    return steps;
  }
}
