package io.influxbak.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.store.azure.AzureStoreProvider;
import io.influxbak.store.fs.FileSystemStoreProvider;
import io.influxbak.store.gcs.GcsStoreProvider;
import io.influxbak.store.s3.S3StoreProvider;
import io.influxbak.store.settings.StoreSetting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation (the README and the pages under {@code docs/}) names every store setting the
 * providers read, and no setting they do not.
 */
class ReadmeStoreSettingsTest {
  private static final Pattern SETTING_IN_README =
      Pattern.compile("`((?:fs|s3|azure|gcs)\\.[a-z0-9-]+)[`=]");

  @Test
  void readme_namesExactlyTheSettingsProvidersRead() throws IOException {
    StringBuilder readme =
        new StringBuilder(Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8));
    try (Stream<Path> pages = Files.list(Path.of("..", "docs"))) {
      for (Path page : pages.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        readme.append(Files.readString(page, StandardCharsets.UTF_8));
      }
    }
    Set<String> named = new TreeSet<>();
    Matcher setting = SETTING_IN_README.matcher(readme);
    while (setting.find()) {
      named.add(setting.group(1));
    }
    Set<String> read = new TreeSet<>();
    Stream.of(
            FileSystemStoreProvider.SETTINGS,
            S3StoreProvider.SETTINGS,
            AzureStoreProvider.SETTINGS,
            GcsStoreProvider.SETTINGS)
        .flatMap(List::stream)
        .map(StoreSetting::key)
        .forEach(read::add);

    assertThat(read).hasSizeGreaterThan(30);
    assertThat(named).as("settings the documentation names").isEqualTo(read);
  }
}
