package io.influxbak.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A lease object's JSON: written as a stream, read back field for field. */
class LeaseRecordTest {
  private static final LeaseRecord BACKUP =
      new LeaseRecord(
          LeaseOperation.BACKUP,
          Optional.of("b1"),
          List.of("node0", "node1"),
          "host-a",
          4242,
          "run-1",
          Instant.parse("2026-12-02T10:00:00Z"),
          Instant.parse("2026-12-02T10:05:00.5Z"));

  @Test
  void written_readsBackAsTheSameRecord() throws IOException {
    LeaseRecord prune =
        new LeaseRecord(
            LeaseOperation.PRUNE,
            Optional.empty(),
            List.of(),
            "host \"b\"\n",
            1,
            "run-2",
            Instant.EPOCH,
            Instant.EPOCH.plusSeconds(1));

    assertThat(LeaseRecord.fromJson(BACKUP.toJson(), "l")).isEqualTo(BACKUP);
    assertThat(LeaseRecord.fromJson(prune.toJson(), "l")).isEqualTo(prune);
  }

  @Test
  void written_isOneLineOfTheDocumentedFields() throws IOException {
    String text = new String(BACKUP.toJson(), StandardCharsets.UTF_8);

    assertThat(text).endsWith("}\n").hasLineCount(1);
    assertThat(new ObjectMapper().readTree(text).toString())
        .isEqualTo(
            "{\"format\":\"influxbak-lease/1\",\"operation\":\"BACKUP\",\"backupId\":\"b1\","
                + "\"nodes\":[\"node0\",\"node1\"],\"host\":\"host-a\",\"pid\":4242,"
                + "\"run\":\"run-1\",\"since\":\"2026-12-02T10:00:00Z\","
                + "\"until\":\"2026-12-02T10:05:00.500Z\"}");
  }

  @Test
  void notALease_refusedNamingIt() {
    byte[] other = "{\"format\":\"something-else\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> LeaseRecord.fromJson(other, "leases/x.json"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("leases/x.json")
        .hasMessageContaining("influxbak-lease/1");
  }
}
