package io.influxbak.store.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.store.ObjectKey;
import io.influxbak.store.ObjectNotFoundException;
import io.influxbak.store.StoreId;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

class StoreFailureTest {
  private static final StoreId STORE = new StoreId("file", "/backups", "");
  private static final ObjectKey KEY = ObjectKey.of("b1/manifest.json");

  @Test
  void diskFullNamesTheObjectTheStoreAndTheReason() {
    IOException full = new IOException("No space left on device");

    IOException named = StoreFailure.writing(STORE, KEY, full);

    assertThat(named)
        .hasMessageContaining("Cannot write b1/manifest.json in " + STORE)
        .hasMessageEndingWith(": No space left on device")
        .hasCause(full);
  }

  @Test
  void permissionDeniedSaysSoBesideThePath() {
    IOException named =
        StoreFailure.writing(STORE, KEY, new AccessDeniedException("/backups/b1/.x.tmp"));

    assertThat(named)
        .hasMessageEndingWith(": permission denied on /backups/b1/.x.tmp")
        .hasMessageContaining("b1/manifest.json");
  }

  @Test
  void aFileSystemErrorKeepsItsReasonAndPath() {
    IOException named =
        StoreFailure.writing(
            STORE, KEY, new FileSystemException("/backups/b1", null, "Read-only file system"));

    assertThat(named).hasMessageEndingWith(": Read-only file system (/backups/b1)");
  }

  @Test
  void typedErrorsPassUnchanged() {
    IOException missing = new ObjectNotFoundException(STORE, KEY);
    IOException interrupted = new InterruptedIOException("stop");

    assertThat(StoreFailure.writing(STORE, KEY, missing)).isSameAs(missing);
    assertThat(StoreFailure.writing(STORE, KEY, interrupted)).isSameAs(interrupted);
  }
}
