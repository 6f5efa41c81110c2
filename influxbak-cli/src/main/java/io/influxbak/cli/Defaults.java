package io.influxbak.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import javax.annotation.Nullable;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from the environment, then from a configuration file, so a scheduled job can keep
 * its stores and settings out of its command line. For the option {@code --backups-endpoint} of
 * {@code influxbak backup}, the first found wins: the command line; {@code
 * INFLUXBAK_BACKUP_BACKUPS_ENDPOINT}; {@code INFLUXBAK_BACKUPS_ENDPOINT}; the key {@code
 * backup.backups-endpoint} of the configuration file; its key {@code backups-endpoint}; the
 * built-in default.
 *
 * <p>The configuration file is a Java properties file: the one {@code INFLUXBAK_CONFIG} names (it
 * must exist), else {@code $XDG_CONFIG_HOME/influxbak/influxbak.properties} (or {@code
 * ~/.config/...}), else {@code /etc/influxbak/influxbak.properties}, if either exists.
 */
final class Defaults implements IDefaultValueProvider {
  private final Map<String, String> environment;
  private final Properties file;
  @Nullable private final Path source;

  private Defaults(Map<String, String> environment, Properties file, @Nullable Path source) {
    this.environment = environment;
    this.file = file;
    this.source = source;
  }

  /** Defaults from {@code environment} and the configuration file it leads to. */
  static Defaults from(Map<String, String> environment) throws IOException {
    Optional<Path> path = configFile(environment);
    Properties properties = new Properties();
    if (path.isPresent()) {
      try (InputStream in = Files.newInputStream(path.get())) {
        properties.load(in);
      }
    }
    return new Defaults(environment, properties, path.orElse(null));
  }

  private static Optional<Path> configFile(Map<String, String> environment) throws IOException {
    String named = environment.get("INFLUXBAK_CONFIG");
    if (named != null) {
      Path path = Path.of(named);
      if (!Files.isRegularFile(path)) {
        throw new IOException("INFLUXBAK_CONFIG names " + path + ", which is not a file");
      }
      return Optional.of(path);
    }
    String xdg = environment.get("XDG_CONFIG_HOME");
    Path user =
        (xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config"))
            .resolve("influxbak/influxbak.properties");
    for (Path candidate : new Path[] {user, Path.of("/etc/influxbak/influxbak.properties")}) {
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Where the file defaults came from, if a file was read. */
  Optional<Path> source() {
    return Optional.ofNullable(source);
  }

  @Override
  @Nullable
  public String defaultValue(ArgSpec argument) {
    if (!(argument instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String name = option.longestName().replaceFirst("^-+", "");
    String command = option.command() == null ? "" : option.command().name();
    String env = name.toUpperCase(Locale.ROOT).replace('-', '_');
    String commandEnv = command.toUpperCase(Locale.ROOT).replace('-', '_');
    for (String value :
        new String[] {
          environment.get("INFLUXBAK_" + commandEnv + "_" + env),
          environment.get("INFLUXBAK_" + env),
          file.getProperty(command + "." + name),
          file.getProperty(name)
        }) {
      if (value != null) {
        return value;
      }
    }
    return option.defaultValue();
  }
}
