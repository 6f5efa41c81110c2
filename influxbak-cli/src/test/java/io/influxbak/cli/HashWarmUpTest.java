package io.influxbak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HashWarmUpTest {
  @Test
  void makesEveryReadItPlans() {
    // The warm-up stops at its first failure, silently (it must never fail a command): a wrong
    // expected checksum among its streams would end it after a few reads, leaving the JIT cold.
    assertThat(HashWarmUp.run()).isEqualTo(HashWarmUp.READS);
  }
}
