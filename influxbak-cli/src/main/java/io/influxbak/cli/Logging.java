package io.influxbak.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Sets up the command line's SLF4J binding (slf4j-simple, on stderr) before anything logs: the
 * level comes from {@code --log-level}, {@code --verbose} (info) or {@code --quiet} (error), else
 * warn; a level set by {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} wins.
 */
final class Logging {
  private static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");
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

  static void configure(String[] args) {
    List<String> given = Arrays.asList(args);
    String level = "warn";
    if (given.contains("--quiet") || given.contains("-q")) {
      level = "error";
    }
    if (given.contains("--verbose") || given.contains("-v")) {
      level = "info";
    }
    for (int i = 0; i < args.length; i++) {
      String requested = null;
      if (args[i].equals("--log-level") && i + 1 < args.length) {
        requested = args[i + 1];
      } else if (args[i].startsWith("--log-level=")) {
        requested = args[i].substring("--log-level=".length());
      }
      if (requested != null && LEVELS.contains(requested.toLowerCase(Locale.ROOT))) {
        level = requested.toLowerCase(Locale.ROOT);
      }
    }
    String environment = System.getenv("INFLUXBAK_LOG_LEVEL");
    if (environment != null
        && LEVELS.contains(environment.toLowerCase(Locale.ROOT))
        && !Arrays.stream(args).anyMatch(a -> a.startsWith("--log-level"))) {
      level = environment.toLowerCase(Locale.ROOT);
    }
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

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
