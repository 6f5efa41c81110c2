package io.influxbak.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The module's class path holds the JSON API's HTTP transport only: the gRPC transport, the
 * OpenTelemetry SDK, the Cloud Monitoring exporter and the XML API parser are excluded in the POM.
 * This test fails when a dependency change brings one of them back; the emulator suites in this
 * module show the adapter works without them.
 */
class GcsFootprintTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "io.grpc.internal.ManagedChannelImplBuilder",
        "com.google.api.gax.grpc.GrpcTransportChannel",
        "com.google.storage.v2.StorageGrpc",
        "io.opentelemetry.sdk.OpenTelemetrySdk",
        "com.google.cloud.monitoring.v3.MetricServiceClient",
        "com.fasterxml.jackson.dataformat.xml.XmlMapper",
        "org.conscrypt.Conscrypt"
      })
  void unusedTransportIsNotOnTheClassPath(String className) {
    assertThat(isPresent(className)).as(className).isFalse();
  }

  @Test
  void theJsonApiTransportIsOnTheClassPath() {
    // The positive control: the lookup above can find a class that is there.
    assertThat(isPresent("com.google.api.services.storage.Storage")).isTrue();
    assertThat(isPresent("com.google.api.client.http.apache.v2.ApacheHttpTransport")).isTrue();
  }

  private static boolean isPresent(String className) {
    try {
      Class.forName(className, false, GcsFootprintTest.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
