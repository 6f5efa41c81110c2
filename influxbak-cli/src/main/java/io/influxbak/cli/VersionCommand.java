package io.influxbak.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code influxbak version}: the version the build wrote, and the Java that runs it. */
@Command(
    name = "version",
    description = "Print the influxbak version (as built) and the Java version.")
final class VersionCommand implements Callable<Integer> {
  @ParentCommand Influxbak parent;

  @Override
  public Integer call() throws Exception {
    for (String line : new VersionProvider().getVersion()) {
      parent.out().println(line);
    }
    return ExitCodes.SUCCESS;
  }
}
