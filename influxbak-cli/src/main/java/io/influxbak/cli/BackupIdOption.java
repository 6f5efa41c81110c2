package io.influxbak.cli;

import io.influxbak.repository.BackupId;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a backup id option ({@code --backup-id}, {@code --resume}): one safe key segment, refused
 * as a usage error (exit 2) before anything is read or written.
 */
final class BackupIdOption implements ITypeConverter<String> {
  @Override
  public String convert(String value) {
    try {
      return BackupId.of(value).toString();
    } catch (IllegalArgumentException e) { // InvalidKeyException is one
      throw new TypeConversionException("invalid backup id '" + value + "': " + e.getMessage());
    }
  }
}
