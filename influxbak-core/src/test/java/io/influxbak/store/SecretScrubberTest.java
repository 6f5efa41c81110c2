package io.influxbak.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {

  @Test
  void sasTokenInAUrl_redacted() {
    String text =
        "GET https://acct.blob.core.windows.net/c/k?sv=2024-01-01&sig=abc%2Fdef&se=2030 failed";
    assertThat(SecretScrubber.scrub(text))
        .isEqualTo("GET https://acct.blob.core.windows.net/c/k?<redacted> failed")
        .doesNotContain("abc");
  }

  @Test
  void connectionStringAndKeys_redacted() {
    String text =
        "DefaultEndpointsProtocol=http;AccountName=dev;AccountKey=Eby8vdM02xNOcqF==;"
            + " aws_secret_access_key=wJalrXUtnFEMI password: hunter2";
    String scrubbed = SecretScrubber.scrub(text);
    assertThat(scrubbed)
        .contains("AccountName=dev")
        .doesNotContain("Eby8vdM02xNOcqF")
        .doesNotContain("wJalrXUtnFEMI")
        .doesNotContain("hunter2");
  }

  @Test
  void userInfoInAUrl_redacted() {
    assertThat(SecretScrubber.scrub("s3://AKIA:secret@host/bucket"))
        .isEqualTo("s3://<redacted>@host/bucket");
  }

  @Test
  void describe_namesTypesAndCausesOnOneLine() {
    IOException failure =
        new IOException(
            "upload failed\nretry", new IOException("https://h/p?X-Amz-Signature=deadbeef"));
    assertThat(SecretScrubber.describe(failure))
        .isEqualTo(
            "IOException: upload failed retry; caused by IOException: https://h/p?<redacted>");
  }

  @Test
  void plainText_unchanged() {
    String text = "node0/dbs/1/2/2024-01-01/00-00/0000000001.parquet: size 10, expected 12";
    assertThat(SecretScrubber.scrub(text)).isEqualTo(text);
  }
}
