package io.influxbak.store.s3.testing;

import com.google.common.collect.ImmutableMap;
import io.influxbak.store.s3.S3StoreProvider;
import io.influxbak.store.testing.TestServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 servers tests run against, each started once per JVM as a child process on a free loopback
 * port: Adobe S3Mock 5.2.0 (the main one: every operation a backup needs, but no signature checks)
 * and S3Proxy 4.1.0 (which checks SigV4 signatures). The jars are fetched from Maven Central by the
 * build into the directory the {@code influxbak.test-servers} system property names.
 */
public final class S3TestServers {
  /** S3Proxy's credentials (its configuration below). */
  public static final String PROXY_IDENTITY = "local-identity";

  /**
   * The one KMS key S3Mock accepts for SSE-KMS, by its id (S3Mock registers keys by ARN and
   * compares the id a request names, as AWS accepts it too).
   */
  public static final String VALID_KMS_KEY = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

  /** S3Proxy's secret. */
  public static final String PROXY_CREDENTIAL = "local-credential";

  private static TestServerProcess s3mock;
  private static TestServerProcess s3proxy;

  private S3TestServers() {}

  private static Path jar(String name) {
    String dir = System.getProperty("influxbak.test-servers");
    if (dir == null) {
      throw new IllegalStateException(
          "influxbak.test-servers is not set: run the tests through Maven, which fetches the S3 test servers");
    }
    Path jar = Path.of(dir, name);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "No " + jar + ": run the tests through Maven, which fetches the S3 test servers");
    }
    return jar;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** S3Mock, started on first use. */
  public static synchronized TestServerProcess s3mock() {
    if (s3mock == null) {
      try {
        int port = TestServerProcess.freePort();
        Path data = Files.createTempDirectory("s3mock");
        deleteAtExit(data);
        // S3Mock stages each upload in a java.io.tmpdir file it does not always delete (thousands
        // of empty ObjectService...toTempFile files per build); keep them in a directory of ours.
        Path scratch = Files.createTempDirectory("s3mock-tmp");
        deleteAtExit(scratch);
        s3mock =
            TestServerProcess.start(
                "S3Mock 5.2.0",
                List.of(
                    java(),
                    "-Xmx512m",
                    "-Djava.io.tmpdir=" + scratch,
                    "-jar",
                    jar("s3mock.jar").toString(),
                    "--http.port=" + port,
                    "--server.port=0",
                    "--com.adobe.testing.s3mock.store.root=" + data,
                    "--com.adobe.testing.s3mock.store.retain-files-on-exit=false",
                    // The KMS key S3Mock accepts for SSE-KMS; it refuses any other.
                    "--com.adobe.testing.s3mock.store.valid-kms-keys=arn:aws:kms:us-east-1:111122223333:key/"
                        + VALID_KMS_KEY),
                port,
                Path.of("target", "s3mock.log"),
                Duration.ofSeconds(120));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return s3mock;
  }

  /** S3Proxy (signature-checking, transient in-memory backend), started on first use. */
  public static synchronized TestServerProcess s3proxy() {
    if (s3proxy == null) {
      try {
        int port = TestServerProcess.freePort();
        Path config = Files.createTempFile("s3proxy", ".conf");
        deleteAtExit(config);
        Files.writeString(
            config,
            String.join(
                "\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + PROXY_IDENTITY,
                "s3proxy.credential=" + PROXY_CREDENTIAL,
                "s3proxy.ignore-unknown-headers=true",
                "jclouds.provider=transient",
                ""));
        s3proxy =
            TestServerProcess.start(
                "S3Proxy 4.1.0",
                List.of(
                    java(),
                    "-Xmx512m",
                    "-jar",
                    jar("s3proxy.jar").toString(),
                    "--properties",
                    config.toString()),
                port,
                Path.of("target", "s3proxy.log"),
                Duration.ofSeconds(60));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return s3proxy;
  }

  /**
   * Removes a server's scratch files when the JVM exits (after the server is gone, or while it
   * goes).
   */
  private static void deleteAtExit(Path path) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> org.apache.commons.io.FileUtils.deleteQuietly(path.toFile()),
                "delete " + path));
  }

  /** Store settings for S3Mock (any credentials: it checks none). */
  public static Map<String, String> s3mockProperties() {
    return ImmutableMap.of(
        "s3.endpoint",
        s3mock().endpoint(),
        "s3.access-key-id",
        "test",
        "s3.secret-access-key",
        "test-secret");
  }

  /** Store settings for S3Proxy with its real credentials. */
  public static Map<String, String> s3proxyProperties() {
    return ImmutableMap.of(
        "s3.endpoint",
        s3proxy().endpoint(),
        "s3.access-key-id",
        PROXY_IDENTITY,
        "s3.secret-access-key",
        PROXY_CREDENTIAL);
  }

  /**
   * Creates a bucket with a unique name on the server {@code properties} point at, and returns its
   * name.
   */
  public static String newBucket(Map<String, String> properties) {
    String bucket = "test-" + UUID.randomUUID().toString().substring(0, 13);
    try (S3Client client = S3StoreProvider.client(properties)) {
      client.createBucket(b -> b.bucket(bucket));
    }
    return bucket;
  }

  /**
   * Creates a bucket with S3 Object Lock enabled (and so versioning) on the server {@code
   * properties} point at, and returns its name.
   */
  public static String newLockedBucket(Map<String, String> properties) {
    String bucket = "locked-" + UUID.randomUUID().toString().substring(0, 13);
    try (S3Client client = S3StoreProvider.client(properties)) {
      client.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
    }
    return bucket;
  }
}
