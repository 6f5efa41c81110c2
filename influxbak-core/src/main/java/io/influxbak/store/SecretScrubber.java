package io.influxbak.store;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * Takes what may carry a secret out of text bound for a log or a listener: the query of any URL (a
 * SAS token, a presigned signature), the user info of any URL, and the values of {@code key=value}
 * settings whose names say they are secret (account keys, signatures, passwords, tokens, connection
 * strings).
 */
public final class SecretScrubber {
  private static final Pattern URL_QUERY =
      Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s?\"'<>]*)\\?[^\\s\"'<>]*");
  private static final Pattern URL_USER_INFO =
      Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^\\s/@\"'<>]+@");
  private static final Pattern SECRET_SETTING =
      Pattern.compile(
          "(?i)\\b([a-z0-9_.-]*(?:key|sig|signature|secret|password|token|credential|connection-?string)[a-z0-9_.-]*)\\s*[=:]\\s*[^\\s;&,\"']+");

  private SecretScrubber() {}

  /** {@code text} with every secret it may carry replaced by {@code <redacted>}. */
  public static String scrub(String text) {
    requireNonNull(text, "text is null");
    String out = URL_QUERY.matcher(text).replaceAll("$1?<redacted>");
    out = URL_USER_INFO.matcher(out).replaceAll("$1<redacted>@");
    return SECRET_SETTING.matcher(out).replaceAll("$1=<redacted>");
  }

  /** The failure's type and scrubbed message, and those of its causes, on one line. */
  public static String describe(Throwable failure) {
    requireNonNull(failure, "failure is null");
    StringBuilder out = new StringBuilder();
    Throwable current = failure;
    for (int depth = 0; current != null && depth < 4; depth++) {
      if (depth > 0) {
        out.append("; caused by ");
      }
      out.append(current.getClass().getSimpleName());
      if (current.getMessage() != null) {
        out.append(": ").append(scrub(current.getMessage().replace('\n', ' ')));
      }
      current = current.getCause() == current ? null : current.getCause();
    }
    return out.toString();
  }
}
