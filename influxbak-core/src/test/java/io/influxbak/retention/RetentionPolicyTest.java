package io.influxbak.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.retention.RetentionPolicy.Candidate;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
  private static Candidate at(String id, String instant) {
    return new Candidate(id, Instant.parse(instant));
  }

  private static final List<Candidate> HISTORY =
      List.of(
          at("jan-31", "2026-01-31T23:00:00Z"),
          at("feb-27", "2026-02-27T10:00:00Z"),
          at("mar-02-a", "2026-03-02T01:00:00Z"), // Monday of ISO week 10
          at("mar-02-b", "2026-03-02T22:00:00Z"),
          at("mar-04", "2026-03-04T12:00:00Z"),
          at("mar-09", "2026-03-09T12:00:00Z"), // Monday of ISO week 11
          at("mar-10", "2026-03-10T12:00:00Z"));

  @Test
  void keepLast_keepsTheNewest() {
    assertThat(RetentionPolicy.keepLast(2).keep(HISTORY)).containsOnlyKeys("mar-10", "mar-09");
  }

  @Test
  void daily_keepsTheNewestOfEachDay() {
    Map<String, List<String>> kept = RetentionPolicy.keepDaily(4).keep(HISTORY);
    assertThat(kept.keySet()).containsExactly("mar-10", "mar-09", "mar-04", "mar-02-b");
    assertThat(kept.get("mar-02-b")).containsExactly("daily 2026-03-02");
  }

  @Test
  void weeklyAndMonthly_keepTheNewestOfEachWeekAndMonth() {
    assertThat(RetentionPolicy.keepWeekly(3).keep(HISTORY).keySet())
        .containsExactly("mar-10", "mar-04", "feb-27");
    assertThat(RetentionPolicy.keepMonthly(3).keep(HISTORY).keySet())
        .containsExactly("mar-10", "feb-27", "jan-31");
  }

  @Test
  void rules_combineAndNameEveryReason() {
    Map<String, List<String>> kept = RetentionPolicy.keepLast(1).daily(2).monthly(2).keep(HISTORY);
    assertThat(kept.keySet()).containsExactly("mar-10", "mar-09", "feb-27");
    assertThat(kept.get("mar-10")).containsExactly("last 1", "daily 2026-03-10", "monthly 202603");
  }

  @Test
  void zone_movesTheDayLine() {
    // 2026-01-31T23:00Z is already February 1st in Berlin.
    List<Candidate> two =
        List.of(at("jan-31", "2026-01-31T23:00:00Z"), at("feb-01", "2026-02-01T10:00:00Z"));
    assertThat(RetentionPolicy.keepDaily(5).keep(two)).hasSize(2);
    assertThat(RetentionPolicy.keepDaily(5).inZone(ZoneId.of("Europe/Berlin")).keep(two))
        .containsOnlyKeys("feb-01");
  }

  @Test
  void policyKeepingNothing_refused() {
    assertThatThrownBy(() -> RetentionPolicy.keepLast(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> RetentionPolicy.keepLast(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void anyPolicy_keepsTheNewestAndIgnoresInputOrder(
      @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 2_000_000) Integer> hours,
      @ForAll @IntRange(min = 0, max = 3) int last,
      @ForAll @IntRange(min = 0, max = 3) int daily,
      @ForAll @IntRange(min = 1, max = 3) int monthly) {
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < hours.size(); i++) {
      candidates.add(
          new Candidate(
              "b" + i, Instant.parse("2020-01-01T00:00:00Z").plusSeconds(3600L * hours.get(i))));
    }
    RetentionPolicy policy = RetentionPolicy.keepMonthly(monthly).last(last).daily(daily);
    Map<String, List<String>> kept = policy.keep(candidates);
    List<Candidate> shuffled = new ArrayList<>(candidates);
    Collections.reverse(shuffled);

    assertThat(policy.keep(shuffled)).isEqualTo(kept);
    assertThat(kept.size()).isLessThanOrEqualTo(last + daily + monthly);
    candidates.stream()
        .max(
            java.util.Comparator.comparing(Candidate::createdAt).thenComparing(Candidate::backupId))
        .ifPresent(newest -> assertThat(kept).containsKey(newest.backupId()));
  }
}
