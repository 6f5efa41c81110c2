package io.influxbak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.influxbak.examples.SampleNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployment examples under {@code deploy/}, run as they are written: every influxbak command
 * line they hold, in order, through the launcher script {@code deploy/bin/influxbak} and the
 * packaged jar, against file stores standing in for the stores their environment names. The {@code
 * INFLUXBAK_*} variables they set are options the command line reads, and the Dockerfile copies
 * files the build makes.
 */
class DeploymentExamplesIT {
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern COMMAND =
      Pattern.compile(
          "(?:/usr/local/bin/)?\\binfluxbak ((?:backup|verify|prune|restore|list|check)\\b[^&\\n]*)");
  private static final Pattern VARIABLE = Pattern.compile("\\bINFLUXBAK_[A-Z_]+");

  @TempDir Path work;

  @ParameterizedTest
  @ValueSource(
      strings = {"deploy/systemd/influxbak-backup.service", "deploy/kubernetes/cronjob.yaml"})
  void everyCommandLine_runsInOrderAgainstFileStores(String example) throws Exception {
    List<List<String>> commands = commands(REPOSITORY.resolve(example));
    assertThat(commands).as("influxbak command lines in " + example).hasSizeGreaterThanOrEqualTo(3);
    Path data = Files.createDirectories(work.resolve("data"));
    SampleNode.create(data, "node0");
    Map<String, String> environment = new HashMap<>();
    environment.put("INFLUXBAK_JAR", System.getProperty("influxbak.jar"));
    environment.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    environment.put("INFLUXBAK_SOURCE", data.toString());
    environment.put("INFLUXBAK_BACKUPS", work.resolve("backups/not-created-yet").toString());
    environment.put("XDG_CONFIG_HOME", work.resolve("no-config").toString());
    if (example.endsWith(".yaml")) {
      environment.put("INFLUXBAK_STORE_PROPERTY", "s3.region=eu-west-1"); // as the CronJob sets it
    }
    for (List<String> command : commands) {
      List<String> args = new ArrayList<>();
      for (String arg : command) {
        args.add(arg.replace("/var/lib/node_exporter/textfile_collector", work.toString()));
      }
      Outcome outcome = launch(args, environment);
      assertThat(outcome.exit()).as("%s%n%s", args, outcome.err()).isZero();
    }
    try (Stream<Path> files = Files.list(work)) {
      List<Path> metrics = files.filter(p -> p.toString().endsWith(".prom")).toList();
      assertThat(metrics.size()).isEqualTo(example.endsWith(".service") ? 3 : 0);
      for (Path file : metrics) {
        assertThat(Files.readString(file))
            .contains("influxbak_last_run_success{")
            .contains("} 1\n");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"deploy/systemd/influxbak.env.example", "deploy/kubernetes/cronjob.yaml"})
  void everyInfluxbakVariable_isAnOptionTheCommandLineReads(String example) throws Exception {
    String man =
        launch(List.of("man"), Map.of("INFLUXBAK_JAR", System.getProperty("influxbak.jar"))).out();
    Matcher variables = VARIABLE.matcher(Files.readString(REPOSITORY.resolve(example)));
    int seen = 0;
    while (variables.find()) {
      String name = variables.group();
      if (List.of("INFLUXBAK_JAR", "INFLUXBAK_JAVA_OPTS", "INFLUXBAK_CONFIG").contains(name)) {
        continue; // the launcher's, and the configuration file's location
      }
      String flag =
          "\\-\\-" + name.substring("INFLUXBAK_".length()).toLowerCase().replace("_", "\\-");
      assertThat(man).as("%s in %s names an option", name, example).contains(flag);
      seen++;
    }
    assertThat(seen).isPositive();
  }

  @org.junit.jupiter.api.Test
  void dockerfile_copiesWhatTheBuildMakes_andStartsTheLauncher() throws IOException {
    List<String> lines = Files.readAllLines(REPOSITORY.resolve("deploy/Dockerfile"));
    List<String> copies =
        lines.stream().filter(l -> l.startsWith("COPY ")).map(l -> l.split("\\s+")[1]).toList();
    assertThat(copies)
        .containsExactly("influxbak-cli/target/influxbak.jar", "deploy/bin/influxbak");
    for (String copied : copies) {
      assertThat(REPOSITORY.resolve(copied)).isRegularFile();
    }
    assertThat(lines).contains("ENTRYPOINT [\"/usr/local/bin/influxbak\"]");
    assertThat(lines)
        .anyMatch(l -> l.startsWith("COPY deploy/bin/influxbak /usr/local/bin/influxbak"));
    assertThat(lines).anyMatch(l -> l.contains("/opt/influxbak/influxbak.jar"));
    assertThat(Files.readString(REPOSITORY.resolve("deploy/bin/influxbak")))
        .contains("/opt/influxbak/influxbak.jar");
  }

  /** The influxbak command lines of a file, in order, split into arguments (no quoting used). */
  private static List<List<String>> commands(Path file) throws IOException {
    List<List<String>> commands = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.strip().startsWith("#")) {
        continue;
      }
      Matcher command = COMMAND.matcher(line);
      while (command.find()) {
        commands.add(List.of(command.group(1).strip().split("\\s+")));
      }
    }
    return commands;
  }

  private record Outcome(int exit, String out, String err) {}

  /** Runs the launcher script with {@code args}, in an environment of only {@code variables}. */
  private static Outcome launch(List<String> args, Map<String, String> variables)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of("sh", REPOSITORY.resolve("deploy/bin/influxbak").toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("INFLUXBAK_") || k.startsWith("AWS_"));
    builder.environment().putAll(variables);
    builder.redirectErrorStream(false);
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Outcome(
        process.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }
}
