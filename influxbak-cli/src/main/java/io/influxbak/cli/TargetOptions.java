package io.influxbak.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --target} end of a command, with its own endpoint and settings. */
final class TargetOptions {
  @Option(
      names = "--target",
      paramLabel = "LOCATION",
      description = "Where a restore writes the node(s): a path or store URI, as for --source.")
  String location;

  @Option(
      names = "--target-endpoint",
      paramLabel = "URL",
      description =
          "Endpoint of the --target store (S3-compatible stores, emulators); overrides --endpoint.")
  String endpoint;

  @Option(
      names = "--target-property",
      paramLabel = "KEY=VALUE",
      split = ",",
      description =
          "A setting of the --target store, e.g. s3.region=eu-west-1 (repeatable); overrides --store-property. A value env:NAME or file:PATH is read from there (keep secrets off the command line).")
  Map<String, String> properties = new LinkedHashMap<>();

  StoreEnd end() {
    return new StoreEnd("--target", location, endpoint, properties);
  }
}
