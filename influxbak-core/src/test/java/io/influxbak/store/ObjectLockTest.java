package io.influxbak.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every adapter sets to extend a lock: never shorter, never weaker. */
class ObjectLockTest {
  private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
  private static final ObjectLock GOVERNANCE_10 =
      new ObjectLock(ObjectLock.Mode.GOVERNANCE, T.plusSeconds(10));
  private static final ObjectLock COMPLIANCE_5 =
      new ObjectLock(ObjectLock.Mode.COMPLIANCE, T.plusSeconds(5));

  @Test
  void extending_nothingHeld_setsTheLockAsked() {
    assertThat(GOVERNANCE_10.extending(Optional.empty())).contains(GOVERNANCE_10);
  }

  @Test
  void extending_aLongerOrEqualLockHeld_setsNothing() {
    assertThat(GOVERNANCE_10.extending(Optional.of(GOVERNANCE_10))).isEmpty();
    assertThat(new ObjectLock(ObjectLock.Mode.GOVERNANCE, T).extending(Optional.of(GOVERNANCE_10)))
        .isEmpty();
  }

  @Test
  void extending_neverWeakensCompliance_andTakesTheLaterDate() {
    assertThat(GOVERNANCE_10.extending(Optional.of(COMPLIANCE_5)))
        .contains(new ObjectLock(ObjectLock.Mode.COMPLIANCE, T.plusSeconds(10)));
    assertThat(COMPLIANCE_5.extending(Optional.of(GOVERNANCE_10)))
        .contains(new ObjectLock(ObjectLock.Mode.COMPLIANCE, T.plusSeconds(10)));
  }

  @Test
  void holdsAt_isTrueOnlyBeforeTheDate() {
    assertThat(GOVERNANCE_10.holdsAt(T.plusSeconds(9))).isTrue();
    assertThat(GOVERNANCE_10.holdsAt(T.plusSeconds(10))).isFalse();
  }
}
