package io.influxbak.store.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {
  private static final StoreSetting<String> REGION = StoreSetting.text("s3.region");
  private static final StoreSetting<Long> PART_SIZE = StoreSetting.bytes("s3.part-size");
  private static final StoreSetting<Boolean> PATH_STYLE = StoreSetting.flag("s3.path-style");
  private static final StoreSetting<Integer> MAX_ATTEMPTS =
      StoreSetting.positiveInt("s3.max-attempts");
  private static final ImmutableList<StoreSetting<?>> KNOWN =
      ImmutableList.of(REGION, PART_SIZE, PATH_STYLE, MAX_ATTEMPTS);

  @Test
  void of_misspelledKey_refusedNamingNearestAndAllKnown() {
    assertThatThrownBy(() -> StoreSettings.of("s3.", KNOWN, Map.of("s3.regoin", "eu-west-1")))
        .isInstanceOfSatisfying(
            InvalidStoreSettingException.class, e -> assertThat(e.key()).isEqualTo("s3.regoin"))
        .hasMessageContaining("'s3.regoin'")
        .hasMessageContaining("did you mean 's3.region'?")
        .hasMessageContaining("s3.max-attempts, s3.part-size, s3.path-style, s3.region")
        .hasMessageNotContaining("eu-west-1");
  }

  @Test
  void of_unknownKeyFarFromAll_refusedWithoutSuggestion() {
    assertThatThrownBy(() -> StoreSettings.of("s3.", KNOWN, Map.of("s3.bucket-owner", "x")))
        .isInstanceOf(InvalidStoreSettingException.class)
        .hasMessageNotContaining("did you mean")
        .hasMessageContaining("Known settings: ");
  }

  @Test
  void of_keysOfOtherStores_leftAlone() {
    StoreSettings settings =
        StoreSettings.of("s3.", KNOWN, Map.of("fs.sync", "none", "s3.region", "eu-west-1"));

    assertThat(settings.get(REGION)).contains("eu-west-1");
    assertThat(settings.isSet(PART_SIZE)).isFalse();
    assertThat(settings.get(PART_SIZE, 7L)).isEqualTo(7L);
  }

  @Test
  void get_typedValues_parsedOnce() {
    StoreSettings settings =
        StoreSettings.of(
            "s3.",
            KNOWN,
            Map.of("s3.part-size", "16_777_216", "s3.path-style", "TRUE", "s3.max-attempts", "3"));

    assertThat(settings.get(PART_SIZE)).contains(16_777_216L);
    assertThat(settings.get(PATH_STYLE)).contains(true);
    assertThat(settings.get(MAX_ATTEMPTS)).contains(3);
  }

  @Test
  void get_malformedValues_refusedNamingKeyAndExpectation() {
    StoreSettings settings =
        StoreSettings.of(
            "s3.",
            KNOWN,
            Map.of("s3.part-size", "16MB", "s3.path-style", "yes", "s3.max-attempts", "0"));

    assertThatThrownBy(() -> settings.get(PART_SIZE))
        .isInstanceOf(InvalidStoreSettingException.class)
        .hasMessage("Invalid s3.part-size '16MB': expected a number of bytes");
    assertThatThrownBy(() -> settings.get(PATH_STYLE))
        .hasMessage("Invalid s3.path-style 'yes': expected true or false");
    assertThatThrownBy(() -> settings.get(MAX_ATTEMPTS))
        .hasMessage("Invalid s3.max-attempts '0': expected a whole number of at least 1");
  }

  @Test
  void get_settingNotDeclared_isAProgrammingError() {
    StoreSettings settings = StoreSettings.of("s3.", KNOWN, Map.of());

    assertThatThrownBy(() -> settings.get(StoreSetting.text("s3.other")))
        .isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(InvalidStoreSettingException.class);
  }

  @Test
  void choice_unknownWord_refusedListingChoices() {
    StoreSetting<Integer> level =
        StoreSetting.choice("s3.level", ImmutableMap.of("low", 1, "high", 2));
    StoreSettings settings =
        StoreSettings.of("s3.", ImmutableList.of(level), Map.of("s3.level", "medium"));

    assertThatThrownBy(() -> settings.get(level)).hasMessageContaining("expected low or high");
  }

  @Test
  void duration_unitsAndIso_parsedOthersRefused() {
    StoreSetting<java.time.Duration> timeout = StoreSetting.duration("s3.call-timeout");
    ImmutableList<StoreSetting<?>> known = ImmutableList.of(timeout);

    assertThat(StoreSettings.of("s3.", known, Map.of("s3.call-timeout", "500ms")).get(timeout))
        .contains(java.time.Duration.ofMillis(500));
    assertThat(StoreSettings.of("s3.", known, Map.of("s3.call-timeout", "5s")).get(timeout))
        .contains(java.time.Duration.ofSeconds(5));
    assertThat(StoreSettings.of("s3.", known, Map.of("s3.call-timeout", "PT2M")).get(timeout))
        .contains(java.time.Duration.ofMinutes(2));
    for (String bad : new String[] {"5", "0s", "-1s", "soon"}) {
      assertThatThrownBy(
              () -> StoreSettings.of("s3.", known, Map.of("s3.call-timeout", bad)).get(timeout))
          .as(bad)
          .isInstanceOf(InvalidStoreSettingException.class)
          .hasMessageContaining("expected a duration");
    }
  }

  @Test
  void editDistance_countsEdits() {
    assertThat(StoreSettings.editDistance("s3.regoin", "s3.region")).isEqualTo(2);
    assertThat(StoreSettings.editDistance("fs.ownr", "fs.owner")).isEqualTo(1);
    assertThat(StoreSettings.editDistance("", "abc")).isEqualTo(3);
    assertThat(StoreSettings.editDistance("same", "same")).isZero();
  }
}
