package io.influxbak.store.testing;

import net.jqwik.api.statistics.Statistics;

/**
 * For a property whose tries either pass a check or fail it: records each try's outcome under a
 * label and requires, at the end of the property, that both outcomes occurred, so that a generator
 * drifting to one side fails the property instead of testing half of it.
 */
public final class BothOutcomes {
  private BothOutcomes() {}

  /** Records {@code outcome} under {@code label}; the property fails unless both are seen. */
  public static void record(String label, boolean outcome) {
    Statistics.label(label).collect(outcome);
    Statistics.label(label)
        .coverage(
            coverage -> {
              coverage.check(true).count(c -> c > 0);
              coverage.check(false).count(c -> c > 0);
            });
  }
}
