package io.influxbak.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --backups} end of a command, with its own endpoint and settings. */
final class BackupsOptions {
  @Option(
      names = "--backups",
      paramLabel = "LOCATION",
      description =
          "Where backups are kept: a path, file:///..., s3://bucket/prefix, az://container/prefix or gs://bucket/prefix.")
  String location;

  @Option(
      names = "--backups-endpoint",
      paramLabel = "URL",
      description =
          "Endpoint of the --backups store (S3-compatible stores, emulators); overrides --endpoint.")
  String endpoint;

  @Option(
      names = "--backups-property",
      paramLabel = "KEY=VALUE",
      split = ",",
      description =
          "A setting of the --backups store, e.g. s3.region=eu-west-1 (repeatable); overrides --store-property. A value env:NAME or file:PATH is read from there (keep secrets off the command line).")
  Map<String, String> properties = new LinkedHashMap<>();

  StoreEnd end() {
    return new StoreEnd("--backups", location, endpoint, properties);
  }
}
