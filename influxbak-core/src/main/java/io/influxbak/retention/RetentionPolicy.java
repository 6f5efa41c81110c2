package io.influxbak.retention;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.annotation.concurrent.Immutable;

/**
 * Which complete backups to keep, in the manner of restic's {@code forget} and Borg's {@code
 * prune}: the newest {@code last} backups, and the newest backup of each of the newest {@code
 * daily} days, {@code weekly} ISO weeks and {@code monthly} months that have backups. A backup kept
 * by any rule stays; the rest go. Days, weeks and months are those of {@code zone} (UTC by
 * default). A policy keeps at least one backup.
 *
 * <pre>{@code
 * RetentionPolicy policy = RetentionPolicy.keepLast(3).daily(7).weekly(4).monthly(12);
 * }</pre>
 *
 * @param last newest backups kept
 * @param daily days, newest first, whose newest backup is kept
 * @param weekly ISO weeks, newest first, whose newest backup is kept
 * @param monthly months, newest first, whose newest backup is kept
 * @param zone the time zone that draws the day, week and month lines
 */
@Immutable
public record RetentionPolicy(int last, int daily, int weekly, int monthly, ZoneId zone) {
  /** Checks the parts. */
  public RetentionPolicy {
    requireNonNull(zone, "zone is null");
    checkArgument(
        last >= 0 && daily >= 0 && weekly >= 0 && monthly >= 0, "counts must not be negative");
    checkArgument(
        last + daily + weekly + monthly > 0, "a retention policy must keep at least one backup");
  }

  /** Keeps the newest {@code n} backups (add rules with {@link #daily} and the rest). */
  public static RetentionPolicy keepLast(int n) {
    return new RetentionPolicy(n, 0, 0, 0, ZoneOffset.UTC);
  }

  /** Keeps the newest backup of each of the newest {@code n} days with backups. */
  public static RetentionPolicy keepDaily(int n) {
    return new RetentionPolicy(0, n, 0, 0, ZoneOffset.UTC);
  }

  /** Keeps the newest backup of each of the newest {@code n} ISO weeks with backups. */
  public static RetentionPolicy keepWeekly(int n) {
    return new RetentionPolicy(0, 0, n, 0, ZoneOffset.UTC);
  }

  /** Keeps the newest backup of each of the newest {@code n} months with backups. */
  public static RetentionPolicy keepMonthly(int n) {
    return new RetentionPolicy(0, 0, 0, n, ZoneOffset.UTC);
  }

  /** This policy, also keeping the newest {@code n} backups. */
  public RetentionPolicy last(int n) {
    return new RetentionPolicy(n, daily, weekly, monthly, zone);
  }

  /**
   * This policy, also keeping the newest backup of each of the newest {@code n} days with backups.
   */
  public RetentionPolicy daily(int n) {
    return new RetentionPolicy(last, n, weekly, monthly, zone);
  }

  /**
   * This policy, also keeping the newest backup of each of the newest {@code n} ISO weeks with
   * backups.
   */
  public RetentionPolicy weekly(int n) {
    return new RetentionPolicy(last, daily, n, monthly, zone);
  }

  /**
   * This policy, also keeping the newest backup of each of the newest {@code n} months with
   * backups.
   */
  public RetentionPolicy monthly(int n) {
    return new RetentionPolicy(last, daily, weekly, n, zone);
  }

  /** This policy with days, weeks and months drawn in {@code zone}. */
  public RetentionPolicy inZone(ZoneId zone) {
    return new RetentionPolicy(last, daily, weekly, monthly, zone);
  }

  /**
   * The longest this policy keeps a backup when backups are taken at least every {@code
   * backupInterval}: the newest {@code last} for {@code last} intervals, a day's newest for {@code
   * daily} days, a week's for {@code weekly} weeks, a month's for {@code monthly} months of 31
   * days, each plus one interval (a day's newest is kept until the day {@code daily} days on has a
   * backup too). What a lock covering the policy lasts ({@code new RetentionLock(mode,
   * policy.longestKeep(interval))}): every backup the policy keeps stays locked while it is kept,
   * if backups run that often.
   */
  public Duration longestKeep(Duration backupInterval) {
    requireNonNull(backupInterval, "backupInterval is null");
    checkArgument(
        !backupInterval.isNegative() && !backupInterval.isZero(),
        "backupInterval must be positive, not %s",
        backupInterval);
    Duration longest = backupInterval.multipliedBy(last);
    for (Duration rule :
        List.of(
            Duration.ofDays(daily), Duration.ofDays(7L * weekly), Duration.ofDays(31L * monthly))) {
      if (rule.compareTo(longest) > 0) {
        longest = rule;
      }
    }
    return longest.plus(backupInterval);
  }

  /**
   * A backup to judge.
   *
   * @param backupId its id
   * @param createdAt when it completed
   */
  public record Candidate(String backupId, Instant createdAt) {
    /** Checks the parts. */
    public Candidate {
      requireNonNull(backupId, "backupId is null");
      requireNonNull(createdAt, "createdAt is null");
    }
  }

  /**
   * Why each kept backup is kept, by backup id (newest first); a candidate absent from the result
   * goes. Ties in time are broken by id, so the result does not depend on the order given.
   */
  public Map<String, List<String>> keep(List<Candidate> candidates) {
    List<Candidate> newestFirst = new ArrayList<>(candidates);
    newestFirst.sort(
        Comparator.comparing(Candidate::createdAt).thenComparing(Candidate::backupId).reversed());
    Map<String, List<String>> reasons = new LinkedHashMap<>();
    for (int i = 0; i < Math.min(last, newestFirst.size()); i++) {
      reasons
          .computeIfAbsent(newestFirst.get(i).backupId(), id -> new ArrayList<>())
          .add("last " + last);
    }
    bucketed(newestFirst, daily, "daily", t -> t.toLocalDate(), reasons);
    bucketed(
        newestFirst,
        weekly,
        "weekly",
        t -> t.get(IsoFields.WEEK_BASED_YEAR) * 100 + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR),
        reasons);
    bucketed(newestFirst, monthly, "monthly", t -> t.getYear() * 100 + t.getMonthValue(), reasons);
    Map<String, List<String>> ordered = new LinkedHashMap<>();
    for (Candidate candidate : newestFirst) {
      if (reasons.containsKey(candidate.backupId())) {
        ordered.put(candidate.backupId(), ImmutableList.copyOf(reasons.get(candidate.backupId())));
      }
    }
    return ordered;
  }

  /** Keeps the first (newest) backup of each of the first {@code count} buckets. */
  private void bucketed(
      List<Candidate> newestFirst,
      int count,
      String rule,
      java.util.function.Function<ZonedDateTime, Object> bucketOf,
      Map<String, List<String>> reasons) {
    Object current = null;
    int kept = 0;
    for (Candidate candidate : newestFirst) {
      if (kept >= count) {
        return;
      }
      Object bucket = bucketOf.apply(candidate.createdAt().atZone(zone));
      if (!Objects.equals(bucket, current)) {
        current = bucket;
        kept++;
        reasons
            .computeIfAbsent(candidate.backupId(), id -> new ArrayList<>())
            .add(rule + " " + bucket);
      }
    }
  }
}
