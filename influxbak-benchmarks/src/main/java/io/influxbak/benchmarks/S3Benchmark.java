package io.influxbak.benchmarks;

import com.google.common.collect.ImmutableMap;
import io.influxbak.backup.BackupOptions;
import io.influxbak.backup.BackupPlan;
import io.influxbak.backup.BackupResult;
import io.influxbak.store.KeyPrefix;
import io.influxbak.store.ObjectContent;
import io.influxbak.store.ObjectKey;
import io.influxbak.store.WriteMode;
import io.influxbak.store.s3.S3ObjectStore;
import io.influxbak.store.s3.S3StoreProvider;
import io.influxbak.store.s3.S3TransferSizes;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.io.file.PathUtils;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A same-bucket backup on S3Mock (the S3 test server) against {@code rclone copy} between the same
 * prefixes of the same bucket (both copy server-side), alternately, with the object bytes that pass
 * through influxbak's client. Needs the S3Mock jar the build fetches ({@code mvn -B -q install
 * -DskipTests}) and Debian's {@code rclone} ({@code apt-get install rclone}). Run by {@code
 * Benchmark --s3}.
 */
final class S3Benchmark {
  private S3Benchmark() {}

  static String run(Path s3mockJar, int objects, int runs) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path data = Files.createTempDirectory("s3mock-bench");
    Process server =
        new ProcessBuilder(
                ChildRuns.JAVA,
                "-Xmx1g",
                "-jar",
                s3mockJar.toString(),
                "--http.port=" + port,
                "--server.port=0",
                "--com.adobe.testing.s3mock.store.root=" + data)
            .redirectErrorStream(true)
            .redirectOutput(data.resolveSibling("s3mock-bench.log").toFile())
            .start();
    try {
      waitFor(port);
      String endpoint = "http://127.0.0.1:" + port;
      Map<String, String> properties =
          ImmutableMap.of(
              "s3.endpoint",
              endpoint,
              "s3.access-key-id",
              "bench",
              "s3.secret-access-key",
              "bench-secret");
      AtomicLong objectBytes = new AtomicLong();
      ExecutionInterceptor counter =
          new ExecutionInterceptor() {
            @Override
            public void afterUnmarshalling(
                Context.AfterUnmarshalling context, ExecutionAttributes attributes) {
              String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
              if (context.httpRequest().encodedPath().contains("/node0/")) {
                if (operation.equals("PutObject") || operation.equals("UploadPart")) {
                  objectBytes.addAndGet(
                      context.requestBody().flatMap(b -> b.optionalContentLength()).orElse(0L));
                }
                if (context.response() instanceof GetObjectResponse get
                    && get.contentLength() != null) {
                  objectBytes.addAndGet(get.contentLength());
                }
              }
            }
          };
      try (S3Client client =
          S3StoreProvider.clientBuilder(properties)
              .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
              .build()) {
        client.createBucket(b -> b.bucket("bench"));
        S3ObjectStore store =
            S3ObjectStore.of(client, "bench", KeyPrefix.ROOT, S3TransferSizes.DEFAULT)
                .withoutConditionalCopyObject();
        Random random = new Random(5);
        long bytes = 0;
        for (int i = 0; i < objects; i++) {
          byte[] body = new byte[i % 10 == 9 ? 1 << 20 : 1024 + random.nextInt(7 * 1024)];
          random.nextBytes(body);
          bytes += body.length;
          store.write(
              ObjectKey.of(
                  i % 10 == 9
                      ? String.format("node0/dbs/1/2/2026-11-24/10-00/%010d.parquet", i)
                      : String.format("node0/wal/%011d.wal", i)),
              ObjectContent.ofBytes(body),
              WriteMode.CREATE_NEW);
        }
        Path config = Files.createTempFile("rclone", ".conf");
        Files.writeString(
            config,
            String.join(
                "\n",
                "[mock]",
                "type = s3",
                "provider = Other",
                "endpoint = " + endpoint,
                "access_key_id = bench",
                "secret_access_key = bench-secret",
                "force_path_style = true",
                ""));
        List<Double> baseline = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        BackupResult[] last = new BackupResult[1];
        for (int run = 0; run < runs; run++) {
          String copy = "rclone-" + run;
          baseline.add(
              Measurements.time(
                  () ->
                      Measurements.shell(
                          "env -u AWS_CA_BUNDLE rclone --config '"
                              + config
                              + "' copy --transfers 16 --checkers 16 mock:bench/node0 mock:bench/"
                              + copy
                              + "/node0")));
          objectBytes.set(0);
          String id = "influxbak-" + run;
          ours.add(
              Measurements.time(
                  () ->
                      last[0] =
                          BackupPlan.core("node0")
                              .withOptions(
                                  BackupOptions.builder()
                                      .backupId(id)
                                      .withoutPinning()
                                      .full()
                                      .build())
                              .execute(store)));
        }
        double b = Measurements.median(baseline);
        double o = Measurements.median(ours);
        Files.delete(config);
        return String.format(
            Locale.ROOT,
            "%-62s influxbak %.3f s, rclone copy %.3f s, ratio %.2fx, %d objects (%s), %d object bytes through the client (target <= 1.0x, 0 bytes: %s)",
            "same-bucket S3 backup (S3Mock) vs rclone copy",
            o,
            b,
            o / b,
            last[0].objectCount(),
            Measurements.human(bytes),
            objectBytes.get(),
            o / b <= 1.0 && objectBytes.get() == 0 ? "met" : "MISSED");
      }
    } finally {
      server.destroy();
      server.waitFor();
      PathUtils.deleteDirectory(data);
    }
  }

  private static void waitFor(int port) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IOException("S3Mock did not listen on " + port);
  }
}
