package io.influxbak.cli;

import java.util.List;
import java.util.Locale;
import javax.annotation.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Sets up the command line's SLF4J binding (slf4j-simple, on stderr) before anything logs: the
 * level comes from {@code --log-level}, {@code --verbose} (info) or {@code --quiet} (error), else
 * warn; a level set by {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} wins.
 */
final class Logging {
  private static final List<String> SDK_LOGGERS =
      List.of(
          "com.azure",
          "com.microsoft",
          "reactor",
          "io.netty",
          "software.amazon",
          "com.google",
          "org.apache.http");

  private Logging() {}

  /**
   * Configures the binding for the command {@code parsed} runs, from its {@code --log-level},
   * {@code --verbose} and {@code --quiet} as parsed: given on the command line or defaulted from
   * {@code INFLUXBAK_*} variables and the configuration file like every other option.
   */
  static void configure(ParseResult parsed) {
    ParseResult command = parsed;
    while (command.hasSubcommand()) {
      command = command.subcommand();
    }
    String level = level(command.commandSpec());
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
    // The cloud SDKs log, at ERROR, failures influxbak retries or reports itself in one line: their
    // own lines appear only at debug and trace.
    boolean sdkToo = level.equals("debug") || level.equals("trace");
    for (String sdk : SDK_LOGGERS) {
      setIfAbsent("org.slf4j.simpleLogger.log." + sdk, sdkToo ? level : "off");
    }
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
  }

  /** The level the command's options ask for: --log-level, else --verbose, --quiet, warn. */
  private static String level(CommandSpec command) {
    OptionSpec requested = command.findOption("--log-level");
    if (requested != null && requested.getValue() != null) {
      return requested.getValue().toString().toLowerCase(Locale.ROOT);
    }
    if (isSet(command.findOption("--verbose"))) {
      return "info";
    }
    return isSet(command.findOption("--quiet")) ? "error" : "warn";
  }

  private static boolean isSet(@Nullable OptionSpec flag) {
    return flag != null && Boolean.TRUE.equals(flag.getValue());
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
