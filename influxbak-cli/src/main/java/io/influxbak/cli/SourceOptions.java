package io.influxbak.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --source} end of a command, with its own endpoint and settings. */
final class SourceOptions {
  @Option(
      names = "--source",
      paramLabel = "LOCATION",
      description =
          "The store holding the InfluxDB 3 node (its object store), e.g. /var/lib/influxdb3 or s3://bucket.")
  String location;

  @Option(
      names = "--source-endpoint",
      paramLabel = "URL",
      description =
          "Endpoint of the --source store (S3-compatible stores, emulators); overrides --endpoint.")
  String endpoint;

  @Option(
      names = "--source-property",
      paramLabel = "KEY=VALUE",
      split = ",",
      description =
          "A setting of the --source store, e.g. s3.region=eu-west-1 (repeatable); overrides --store-property. A value env:NAME or file:PATH is read from there (keep secrets off the command line).")
  Map<String, String> properties = new LinkedHashMap<>();

  StoreEnd end() {
    return new StoreEnd("--source", location, endpoint, properties);
  }
}
