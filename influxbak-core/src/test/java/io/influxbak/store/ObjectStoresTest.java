package io.influxbak.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * Provider lookup when no adapter module is on the class path (core alone, with the tests'
 * in-memory {@code mem:} provider).
 */
class ObjectStoresTest {
  @Test
  void open_schemeWithoutProvider_namesTheModuleToAdd() {
    assertThatThrownBy(() -> ObjectStores.open(URI.create("s3://bucket/prefix")))
        .isInstanceOf(StoreNotAvailableException.class)
        .hasMessageContaining("io.influxbak:influxbak-s3")
        .hasMessageContaining("providers found: mem");
    assertThatThrownBy(() -> ObjectStores.open(URI.create("gs://bucket/prefix")))
        .hasMessageContaining("io.influxbak:influxbak-gcs");
  }

  @Test
  void open_failure_neverEchoesCredentialsOrQuery() {
    assertThatThrownBy(
            () ->
                ObjectStores.open(
                    URI.create("https://key:secret@acct.blob.core.windows.net/c/p?sig=SECRETSAS")))
        .isInstanceOf(StoreNotAvailableException.class)
        .hasMessageContaining("acct.blob.core.windows.net/c/p")
        .hasMessageNotContaining("secret")
        .hasMessageNotContaining("SECRETSAS");
  }

  @Test
  void redact_dropsUserInfoAndQuery() {
    assertThat(ObjectStores.redact(URI.create("s3://AKIA:xyz@bucket/p?token=t")))
        .isEqualTo("s3://bucket/p");
  }
}
