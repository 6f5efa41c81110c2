package io.influxbak.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.store.settings.InvalidStoreSettingException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings are checked before any client is built: no server is needed to refuse them. */
class S3StoreProviderTest {
  private final S3StoreProvider provider = new S3StoreProvider();

  @Test
  void open_misspelledSetting_refusedNamingNearestKnownKey() {
    assertThatThrownBy(
            () -> provider.open(URI.create("s3://bucket/prefix"), Map.of("s3.regoin", "x")))
        .isInstanceOfSatisfying(
            InvalidStoreSettingException.class, e -> assertThat(e.key()).isEqualTo("s3.regoin"))
        .hasMessageContaining("did you mean 's3.region'?")
        .hasMessageContaining("s3.part-size");
  }

  @Test
  void open_malformedSize_refusedNamingKeyAndValue() {
    assertThatThrownBy(
            () -> provider.open(URI.create("s3://bucket/prefix"), Map.of("s3.part-size", "16MB")))
        .isInstanceOf(InvalidStoreSettingException.class)
        .hasMessageContaining("Invalid s3.part-size '16MB'");
  }
}
