package io.influxbak.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.store.settings.InvalidStoreSettingException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings are checked before any client is built: no server is needed to refuse them. */
class GcsStoreProviderTest {
  private final GcsStoreProvider provider = new GcsStoreProvider();

  @Test
  void open_misspelledSetting_refusedNamingNearestKnownKey() {
    assertThatThrownBy(
            () -> provider.open(URI.create("gs://bucket/prefix"), Map.of("gcs.projet", "x")))
        .isInstanceOfSatisfying(
            InvalidStoreSettingException.class, e -> assertThat(e.key()).isEqualTo("gcs.projet"))
        .hasMessageContaining("did you mean 'gcs.project'?")
        .hasMessageContaining("gcs.chunk-size");
  }

  @Test
  void open_malformedSize_refusedNamingKeyAndValue() {
    assertThatThrownBy(
            () -> provider.open(URI.create("gs://bucket/prefix"), Map.of("gcs.chunk-size", "big")))
        .isInstanceOf(InvalidStoreSettingException.class)
        .hasMessageContaining("Invalid gcs.chunk-size 'big'");
  }
}
