package io.influxbak.cli;

import com.google.common.collect.ImmutableMap;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.ObjectStores;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How stores are opened: a URI ({@code file:///var/lib/influxdb3}, {@code s3://bucket/prefix},
 * {@code az://container/prefix}, {@code gs://bucket/prefix}), credentials from each SDK's standard
 * chain, and optional settings.
 */
final class StoreOptions {
  @Option(
      names = "--endpoint",
      description =
          "Endpoint override for S3-compatible stores and emulators (sets s3.endpoint, azure.endpoint, gcs.endpoint).")
  String endpoint;

  @Option(
      names = "--store-property",
      paramLabel = "KEY=VALUE",
      description = "A store setting, e.g. s3.region=eu-west-1 (repeatable).")
  Map<String, String> properties = new LinkedHashMap<>();

  /** Opens the store at {@code uri} with these settings. */
  ObjectStore open(URI uri) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>(properties);
    if (endpoint != null) {
      for (String scheme : new String[] {"s3", "azure", "gcs"}) {
        settings.putIfAbsent(scheme + ".endpoint", endpoint);
      }
    }
    return ObjectStores.open(uri, ImmutableMap.copyOf(settings));
  }
}
