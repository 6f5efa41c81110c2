package io.influxbak.cli;

import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The manual page, in troff ({@code man -l influxbak.1}), generated from the same command model as
 * {@code --help}: one section per subcommand with its options, then the environment and exit codes.
 */
final class ManPage {
  private ManPage() {}

  static void write(CommandLine root, String version, PrintWriter out) {
    CommandSpec spec = root.getCommandSpec();
    out.println(".TH INFLUXBAK 1 \"\" \"influxbak " + escape(version) + "\" \"User Commands\"");
    out.println(".SH NAME");
    out.println("influxbak \\- " + escape(String.join(" ", spec.usageMessage().description())));
    out.println(".SH SYNOPSIS");
    out.println(".B influxbak");
    out.println("\\fICOMMAND\\fR [\\fIOPTIONS\\fR]");
    out.println(".SH COMMANDS");
    for (Map.Entry<String, CommandLine> entry : root.getSubcommands().entrySet()) {
      CommandSpec command = entry.getValue().getCommandSpec();
      if (command.usageMessage().hidden() || entry.getKey().equals("help")) {
        continue;
      }
      out.println(".SS " + escape(entry.getKey()));
      out.println(escape(String.join(" ", command.usageMessage().description())));
      for (OptionSpec option : command.options()) {
        if (option.hidden() || option.usageHelp() || option.versionHelp()) {
          continue;
        }
        out.println(".TP");
        String label =
            option.typeInfo().isBoolean() ? "" : " \\fI" + escape(option.paramLabel()) + "\\fR";
        out.println("\\fB" + escape(String.join(", ", option.names())) + "\\fR" + label);
        out.println(
            escape(
                String.join(" ", option.description())
                    .replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue()))));
      }
    }
    out.println(".SH ENVIRONMENT");
    out.println(
        "Every option has a default from the environment: INFLUXBAK_<COMMAND>_<OPTION> or"
            + " INFLUXBAK_<OPTION>, the option's long name in capitals with - as _ (INFLUXBAK_BACKUPS,"
            + " INFLUXBAK_BACKUP_SOURCE_PROPERTY), then from the properties file INFLUXBAK_CONFIG names,"
            + " ~/.config/influxbak/influxbak.properties or /etc/influxbak/influxbak.properties (keys"
            + " <command>.<option> or <option>). A store setting whose value is env:NAME or file:PATH"
            + " is read from that variable or file.");
    out.println(".SH EXIT STATUS");
    for (String line :
        new String[] {
          "0 success",
          "1 failure",
          "2 usage error",
          "3 verify found problems",
          "4 inconsistent node (check, or a backup or restore of one)",
          "5 a lease is in the way (another run holds the store)",
          "130 cancelled (SIGINT), 143 (SIGTERM)"
        }) {
      out.println(".TP");
      out.println(escape(line.substring(0, line.indexOf(' '))));
      out.println(escape(line.substring(line.indexOf(' ') + 1)));
    }
    out.flush();
  }

  private static String escape(String text) {
    String escaped = text.replace("\\", "\\\\").replace("-", "\\-");
    return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
  }
}
