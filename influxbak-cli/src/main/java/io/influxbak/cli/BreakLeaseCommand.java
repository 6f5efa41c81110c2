package io.influxbak.cli;

import com.google.common.collect.ImmutableMap;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.lease.LeaseState;
import io.influxbak.lease.Leases;
import io.influxbak.store.ObjectStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code influxbak break-lease}: removes a lease whose holder is gone. */
@Command(
    name = "break-lease",
    mixinStandardHelpOptions = true,
    description = {
      "Break a lease a killed run left in a store (list shows them under RUNNING), so that the next run need not wait until it is stale.",
      "Refused (exit 5) while the lease is fresh or only expired, since its holder may be running; --force breaks it anyway, and a holder that still runs stops at its next renewal."
    })
final class BreakLeaseCommand implements Callable<Integer> {
  @ParentCommand Influxbak parent;
  @Mixin CommonOptions common = new CommonOptions();
  @Mixin StoreOptions stores = new StoreOptions();
  @Mixin BackupsOptions backups = new BackupsOptions();
  @Mixin TargetOptions target = new TargetOptions();
  @Spec CommandSpec spec;

  @Option(
      names = "--lease",
      required = true,
      description = "The lease, as list names it (e.g. backup/backup-20261201-020000.json).")
  String lease;

  @Option(names = "--force", description = "Break it even if it is not stale.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    LeaseState broken;
    // A backup, verify or prune holds its lease in the --backups store; a restore in its --target.
    if (backups.end().given() == target.end().given()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "Give the store holding the lease: --backups (backup, verify, prune) or --target (restore)");
    }
    StoreEnd holder = backups.end().given() ? backups.end() : target.end();
    try (ObjectStore opened = holder.open(stores, false)) {
      broken = Leases.in(opened, LeaseSettings.defaults()).breakLease(lease, force);
    }
    parent.print(
        common,
        ImmutableMap.of("broken", ListCommand.leases(List.of(broken)).get(0)),
        "Broke lease " + broken.describe());
    return ExitCodes.SUCCESS;
  }
}
