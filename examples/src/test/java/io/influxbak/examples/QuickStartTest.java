package io.influxbak.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.restore.RestoreResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick start runs, restores the sample node byte for byte, and prints every phase. */
class QuickStartTest {
  @TempDir Path work;

  @Test
  void run_sampleNode_restoresIdenticalTreeAndPrintsPhases() throws IOException {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    RestoreResult result =
        QuickStart.run(work, new PrintStream(printed, true, StandardCharsets.UTF_8));

    Path data = work.resolve("influxdb3-data");
    Path restored = work.resolve("restored");
    assertThat(result.objectCount()).isEqualTo(countFiles(data)).isEqualTo(2 + 6 + 8 + 3);
    assertThat(PathUtils.directoryAndFileContentEquals(data, restored)).isTrue();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("Backup backup-")
        .contains("SNAPSHOTS")
        .contains("CATALOG_CHECKPOINT");
  }

  private static long countFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).count();
    }
  }
}
