package io.influxbak.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code influxbak man}: the manual page in troff; install it with {@code influxbak man >
 * /usr/local/share/man/man1/influxbak.1}.
 */
@Command(
    name = "man",
    description =
        "Print the manual page (troff): influxbak man > /usr/local/share/man/man1/influxbak.1")
final class ManCommand implements Callable<Integer> {
  @ParentCommand Influxbak parent;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ManPage.write(
        spec.parent().commandLine(),
        VersionProvider.version(),
        new PrintWriter(parent.out(), true, java.nio.charset.StandardCharsets.UTF_8));
    return ExitCodes.SUCCESS;
  }
}
