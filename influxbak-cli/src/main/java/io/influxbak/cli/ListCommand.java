package io.influxbak.cli;

import com.google.common.collect.ImmutableMap;
import io.influxbak.lease.LeaseSettings;
import io.influxbak.lease.LeaseState;
import io.influxbak.lease.Leases;
import io.influxbak.repository.BackupRepository;
import io.influxbak.repository.BackupSummary;
import io.influxbak.store.ObjectStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code influxbak list}: the backups in a store, complete or not. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "List the backups in a store: id, time, product, nodes, objects, bytes, state (complete, INCOMPLETE: interrupted or running, RETIRED: being removed by prune, BROKEN: reuses objects of a backup deleted by hand, UNREADABLE: a manifest this version cannot read);"
            + " then the running operations: the leases held in the store, with their holders (host, pid, since, until) and status (fresh, expired, stale: taken over by the next run).")
final class ListCommand implements Callable<Integer> {
  @ParentCommand Influxbak parent;
  @Mixin CommonOptions common = new CommonOptions();
  @Mixin StoreOptions stores = new StoreOptions();
  @Mixin BackupsOptions backupsStore = new BackupsOptions();
  @Mixin KeyOptions keys = new KeyOptions();
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<BackupSummary> backups;
    List<LeaseState> running;
    try (ObjectStore store = Ends.required(spec, backupsStore.end()).open(stores, false)) {
      backups = BackupRepository.of(store, keys.keys()).list();
      running = Leases.in(store, LeaseSettings.defaults()).list();
    }
    if (common.json) {
      List<Map<String, Object>> rows =
          backups.stream()
              .<Map<String, Object>>map(
                  b ->
                      ImmutableMap.<String, Object>builder()
                          .put("backupId", b.backupId())
                          .put("createdAt", b.createdAt().map(Object::toString).orElse(""))
                          .put(
                              "product",
                              b.product()
                                  .map(p -> p.name().toLowerCase(java.util.Locale.ROOT))
                                  .orElse(""))
                          .put("nodes", b.nodes().stream().map(Object::toString).toList())
                          .put("objects", b.objects())
                          .put("bytes", b.bytes())
                          .put("complete", b.complete())
                          .put("state", b.state().name().toLowerCase(java.util.Locale.ROOT))
                          .put("lock", b.lock().map(Object::toString).orElse(""))
                          .put("problem", b.problem().orElse(""))
                          .buildOrThrow())
              .toList();
      parent.print(common, ImmutableMap.of("backups", rows, "running", leases(running)), "");
      return ExitCodes.SUCCESS;
    }
    parent
        .out()
        .printf(
            "%-32s %-24s %-10s %-20s %9s %12s %s%n",
            "BACKUP", "CREATED", "PRODUCT", "NODES", "OBJECTS", "BYTES", "STATE");
    for (BackupSummary b : backups) {
      parent
          .out()
          .printf(
              "%-32s %-24s %-10s %-20s %9d %12s %s%n",
              b.backupId(),
              b.createdAt().map(Object::toString).orElse("-"),
              b.product().map(Enum::name).orElse("-"),
              b.nodes().stream().map(Object::toString).collect(Collectors.joining(",")),
              b.objects(),
              Sizes.human(b.bytes()),
              b.state().name().toLowerCase(java.util.Locale.ROOT)
                  + b.lock().map(l -> ", locked " + l).orElse("")
                  + b.problem().map(p -> " (" + p + ")").orElse(""));
    }
    if (!running.isEmpty()) {
      parent.out().printf("%nRUNNING (leases in %s)%n", Leases.ROOT);
      for (LeaseState lease : running) {
        parent.out().printf("  %s%n", lease.describe());
      }
    }
    return ExitCodes.SUCCESS;
  }

  /** The leases, as {@code list --json} shows them under "running". */
  static List<Map<String, Object>> leases(List<LeaseState> leases) {
    return leases.stream()
        .<Map<String, Object>>map(
            l -> {
              ImmutableMap.Builder<String, Object> row =
                  ImmutableMap.<String, Object>builder()
                      .put("lease", l.name())
                      .put("status", l.status().name().toLowerCase(java.util.Locale.ROOT));
              l.record()
                  .ifPresent(
                      r ->
                          row.put(
                                  "operation",
                                  r.operation().name().toLowerCase(java.util.Locale.ROOT))
                              .put("backupId", r.backupId().orElse(""))
                              .put("nodes", r.nodes())
                              .put("host", r.host())
                              .put("pid", r.pid())
                              .put("since", r.since().toString())
                              .put("until", r.until().toString()));
              l.problem().ifPresent(p -> row.put("problem", p));
              return row.buildOrThrow();
            })
        .toList();
  }
}
