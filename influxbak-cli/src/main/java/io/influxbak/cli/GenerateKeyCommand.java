package io.influxbak.cli;

import com.google.common.collect.ImmutableMap;
import io.influxbak.encryption.LocalKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code influxbak generate-key}: writes a new local key for {@code --encrypt --key file:PATH}. */
@Command(
    name = "generate-key",
    mixinStandardHelpOptions = true,
    description = {
      "Write a new random 256-bit key, in base64, to --out (created readable by its owner only; an existing file is never replaced: exit 2), for backup --encrypt --key file:PATH.",
      "Prints the key's id (a fingerprint that key.json records), never the key. Keep a copy elsewhere: without it, the backups it encrypts cannot be read."
    })
final class GenerateKeyCommand implements Callable<Integer> {
  @ParentCommand Influxbak parent;
  @Mixin CommonOptions common = new CommonOptions();
  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "PATH", description = "The key file.")
  Path out;

  @Override
  public Integer call() throws IOException {
    LocalKey key = LocalKey.generate();
    Path parentDir = out.toAbsolutePath().getParent();
    if (parentDir != null) {
      Files.createDirectories(parentDir);
    }
    try {
      if (out.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            out,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(out);
      }
    } catch (FileAlreadyExistsException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--out " + out + " exists; a key file is never replaced");
    }
    Files.write(
        out,
        (key.encoded() + "\n").getBytes(StandardCharsets.US_ASCII),
        StandardOpenOption.TRUNCATE_EXISTING);
    parent.print(
        common,
        ImmutableMap.of("file", out.toString(), "keyId", key.id()),
        "Wrote key " + key.id() + " to " + out + " (use --key file:" + out + ")");
    return ExitCodes.SUCCESS;
  }
}
