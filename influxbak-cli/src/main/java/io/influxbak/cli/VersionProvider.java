package io.influxbak.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version the build wrote into the library's {@code influxbak.properties}. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    return new String[] {
      "influxbak " + version(),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"
    };
  }

  /** The library's version, as built. */
  static String version() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        VersionProvider.class.getResourceAsStream("/io/influxbak/influxbak.properties")) {
      if (in == null) {
        throw new IOException("io/influxbak/influxbak.properties is missing from the class path");
      }
      properties.load(in);
    }
    return properties.getProperty("version", "unknown");
  }
}
