package io.influxbak.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Endpoint and settings shared by every store end of a command ({@code --source}, {@code
 * --backups}, {@code --target}); each end's own {@code --<end>-endpoint} and {@code
 * --<end>-property} override them. Credentials come from each SDK's standard chain unless a setting
 * gives them.
 */
final class StoreOptions {
  @Option(
      names = "--endpoint",
      description =
          "Endpoint of every store end (S3-compatible stores, emulators): sets s3.endpoint, azure.endpoint, gcs.endpoint.")
  String endpoint;

  @Option(
      names = "--store-property",
      paramLabel = "KEY=VALUE",
      split = ",",
      description =
          "A setting of every store end, e.g. s3.region=eu-west-1 (repeatable). A value env:NAME or file:PATH is read from there.")
  Map<String, String> properties = new LinkedHashMap<>();
}
