package io.influxbak.cli;

import com.google.common.collect.ImmutableMap;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.lease.LeaseState;
import io.influxbak.lease.Leases;
import io.influxbak.store.ObjectStore;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

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

  @Option(names = "--store", required = true, description = "The store holding the lease.")
  URI store;

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
    try (ObjectStore opened = stores.open(store)) {
      broken = Leases.in(opened, LeaseSettings.defaults()).breakLease(lease, force);
    }
    parent.print(
        common,
        ImmutableMap.of("broken", ListCommand.leases(List.of(broken)).get(0)),
        "Broke lease " + broken.describe());
    return ExitCodes.SUCCESS;
  }
}
