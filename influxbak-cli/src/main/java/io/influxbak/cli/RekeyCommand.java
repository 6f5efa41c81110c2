package io.influxbak.cli;

import com.google.common.collect.ImmutableMap;
import io.influxbak.encryption.KeyEncryptionKey;
import io.influxbak.encryption.KeyEncryptionKeys;
import io.influxbak.retention.KeyRotation;
import io.influxbak.store.ObjectStore;
import io.influxbak.store.StoreLocation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code influxbak rekey}: moves encrypted backups from one key-encryption key to another. */
@Command(
    name = "rekey",
    mixinStandardHelpOptions = true,
    description = {
      "Re-wrap the data key of every encrypted backup in --backups from --key to --new-key (each backup's key.json is replaced; no object is rewritten, and later backups with the new key reuse the older copies).",
      "Holds the store's prune lease (exit 5 while a backup or prune runs); run it again to finish one that stopped."
    })
final class RekeyCommand implements Callable<Integer> {
  @ParentCommand Influxbak parent;
  @Mixin CommonOptions common = new CommonOptions();
  @Mixin StoreOptions stores = new StoreOptions();
  @Mixin BackupsOptions backups = new BackupsOptions();
  @Mixin KeyOptions keys = new KeyOptions();
  @Spec CommandSpec spec;

  @Option(
      names = "--new-key",
      required = true,
      paramLabel = "KEY",
      description =
          "Where the new key is, as --key says (file:PATH, env:NAME, aws-kms:..., gcp-kms:..., azure-keyvault:...).")
  String newKey;

  @Override
  public Integer call() throws Exception {
    if (keys.key == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "rekey needs --key, the key the backups are wrapped with now");
    }
    KeyEncryptionKey from = keys.open().orElseThrow();
    KeyEncryptionKey to = KeyEncryptionKeys.open(newKey, StoreLocation.resolved(keys.properties));
    KeyRotation.Result result;
    try (ObjectStore opened = Ends.required(spec, backups.end()).open(stores, false)) {
      result = KeyRotation.of(from, to).execute(opened);
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("from", from.id());
    json.put("to", to.id());
    json.put("rotated", result.rotated());
    json.put("alreadyRotated", result.alreadyRotated());
    json.put("unencrypted", result.unencrypted());
    json.put("locked", result.locked());
    parent.print(
        common,
        ImmutableMap.copyOf(json),
        String.format(
            "Rekeyed %d backup(s) from %s to %s; %d already under it, %d not encrypted%s",
            result.rotated().size(),
            from.id(),
            to.id(),
            result.alreadyRotated().size(),
            result.unencrypted().size(),
            result.complete()
                ? ""
                : "; NOT rekeyed, their key.json locked: "
                    + String.join(", ", result.locked())
                    + " (they still need "
                    + from.id()
                    + ": keep it, and run rekey again once their locks have passed)"));
    return result.complete() ? ExitCodes.SUCCESS : ExitCodes.FAILURE;
  }
}
