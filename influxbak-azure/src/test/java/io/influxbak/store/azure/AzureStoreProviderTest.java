package io.influxbak.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.influxbak.store.settings.InvalidStoreSettingException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings are checked before any client is built: no server is needed to refuse them. */
class AzureStoreProviderTest {
  private final AzureStoreProvider provider = new AzureStoreProvider();

  @Test
  void open_misspelledSetting_refusedNamingNearestKnownKey() {
    assertThatThrownBy(
            () -> provider.open(URI.create("az://container/prefix"), Map.of("azure.acount", "x")))
        .isInstanceOfSatisfying(
            InvalidStoreSettingException.class, e -> assertThat(e.key()).isEqualTo("azure.acount"))
        .hasMessageContaining("did you mean 'azure.account'?")
        .hasMessageContaining("azure.block-size");
  }

  @Test
  void open_malformedSize_refusedNamingKeyAndValue() {
    assertThatThrownBy(
            () ->
                provider.open(
                    URI.create("az://container/prefix"), Map.of("azure.block-size", "8M")))
        .isInstanceOf(InvalidStoreSettingException.class)
        .hasMessageContaining("Invalid azure.block-size '8M'");
  }
}
