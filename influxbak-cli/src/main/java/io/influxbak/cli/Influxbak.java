package io.influxbak.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.common.base.Throwables;
import com.google.common.collect.ImmutableMap;
import io.influxbak.lease.LeaseHeldException;
import io.influxbak.lease.LeaseLostException;
import io.influxbak.store.SecretScrubber;
import io.influxbak.task.CopyEngine;
import io.influxbak.transfer.CancellationHandle;
import io.influxbak.transfer.OperationCancelledException;
import io.influxbak.transfer.PhaseResult;
import io.influxbak.transfer.ProgressListener;
import io.influxbak.transfer.ReportedObject;
import io.influxbak.transfer.TransferSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code influxbak} command. Exit codes: 0 success, 1 failure, 2 usage error, 3 verify failure,
 * 4 inconsistent, 5 a lease in the way, 130 cancelled ({@link ExitCodes}). Errors print as one line
 * naming the object and the reason; {@code --verbose} adds the stack trace.
 */
@Command(
    name = "influxbak",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Back up and restore InfluxDB 3 data held in object storage.")
public final class Influxbak {
  /** The subcommands, in the order help lists them. */
  private static final List<Class<?>> SUBCOMMANDS =
      List.of(
          BackupCommand.class,
          RestoreCommand.class,
          VerifyCommand.class,
          ListCommand.class,
          PruneCommand.class,
          CheckCommand.class,
          BreakLeaseCommand.class,
          RekeyCommand.class,
          GenerateKeyCommand.class,
          VersionCommand.class,
          ManCommand.class,
          AutoComplete.GenerateCompletion.class,
          CommandLine.HelpCommand.class);

  /** The subcommands that describe the others, and so need all of them. */
  private static final List<Class<?>> DESCRIBING =
      List.of(
          ManCommand.class, AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class);

  private final PrintStream out;
  private final PrintStream err;
  private final boolean stderrIsTerminal;
  private final CancellationHandle cancellation;
  private final Optional<CopyEngine> engine;

  private Influxbak(
      PrintStream out,
      PrintStream err,
      boolean stderrIsTerminal,
      CancellationHandle cancellation,
      Optional<CopyEngine> engine) {
    this.out = out;
    this.err = err;
    this.stderrIsTerminal = stderrIsTerminal;
    this.cancellation = cancellation;
    this.engine = engine;
  }

  /**
   * Runs the command and exits with its code. SIGINT and SIGTERM cancel the running operation and
   * give it {@link #SIGNAL_GRACE} to stop cleanly (a backup writes its last journal chunk,
   * temporary files go) before the JVM exits with 130 or 143.
   */
  public static void main(String[] args) {
    HashWarmUp.start();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    CancellationHandle cancellation = new CancellationHandle();
    CountDownLatch finished = new CountDownLatch(1);
    Thread onSignal =
        new Thread(
            () -> {
              cancellation.cancel();
              try {
                finished.await(SIGNAL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "influxbak-signal");
    Runtime.getRuntime().addShutdownHook(onSignal);
    int code = run(args, out, err, Terminal.stderrIsTerminal(), cancellation);
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(onSignal);
    } catch (IllegalStateException shuttingDown) {
      return; // a signal is ending the JVM, with its own exit code (130, 143)
    }
    System.exit(code);
  }

  /** How long a signalled operation may take to stop cleanly. */
  static final Duration SIGNAL_GRACE = Duration.ofSeconds(20);

  /**
   * Runs the command with the given streams and returns its exit code (for embedding and tests).
   */
  public static int run(String[] args, PrintStream out, PrintStream err, boolean stderrIsTerminal) {
    return run(args, out, err, stderrIsTerminal, new CancellationHandle());
  }

  /**
   * Runs the command as {@link #run(String[], PrintStream, PrintStream, boolean)} does, with the
   * copies of {@code backup} and {@code restore} made by {@code engine} (the other commands run
   * here as always): how a distributed engine's entry point, such as {@code influxbak-spark}'s,
   * offers the command line.
   */
  public static int run(String[] args, PrintStream out, PrintStream err, CopyEngine engine) {
    return run(
        args,
        out,
        err,
        false,
        new CancellationHandle(),
        System.getenv(),
        Optional.of(java.util.Objects.requireNonNull(engine, "engine is null")));
  }

  /** As {@link #run(String[], PrintStream, PrintStream, boolean)}, cancelled by {@code cancel}. */
  static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      boolean stderrIsTerminal,
      CancellationHandle cancel) {
    return run(args, out, err, stderrIsTerminal, cancel, System.getenv());
  }

  /** As above, with option defaults from {@code environment} (and the file it names). */
  static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      boolean stderrIsTerminal,
      CancellationHandle cancel,
      Map<String, String> environment) {
    return run(args, out, err, stderrIsTerminal, cancel, environment, Optional.empty());
  }

  private static int run(
      String[] args,
      PrintStream out,
      PrintStream err,
      boolean stderrIsTerminal,
      CancellationHandle cancel,
      Map<String, String> environment,
      Optional<CopyEngine> engine) {
    Influxbak command = new Influxbak(out, err, stderrIsTerminal, cancel, engine);
    CommandLine line = new CommandLine(command);
    // before the settings below, which apply to the subcommands present when they are set
    for (Class<?> subcommand : subcommands(args)) {
      line.addSubcommand(subcommand);
    }
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.setOut(new java.io.PrintWriter(out, true));
    line.setErr(new java.io.PrintWriter(err, true));
    try {
      line.setDefaultValueProvider(Defaults.from(environment));
    } catch (java.io.IOException | RuntimeException e) {
      err.println("influxbak: error: configuration: " + oneLine(e));
      return ExitCodes.USAGE;
    }
    line.setExecutionExceptionHandler(
        (exception, commandLine, parseResult) -> {
          err.println("influxbak: error: " + oneLine(exception));
          CommandLine.Model.OptionSpec verbose =
              commandLine.getCommandSpec().findOption("--verbose");
          if (verbose != null && Boolean.TRUE.equals(verbose.getValue())) {
            exception.printStackTrace(err);
          }
          if (commandLine.getCommand() instanceof Operation operation) {
            operation.metrics().writeFailure(operation, err);
          }
          if (exception instanceof OperationCancelledException) {
            return ExitCodes.CANCELLED;
          }
          return exception instanceof LeaseHeldException || exception instanceof LeaseLostException
              ? ExitCodes.LEASE
              : exception instanceof CommandLine.ParameterException
                  ? ExitCodes.USAGE
                  : ExitCodes.FAILURE;
        });
    line.setParameterExceptionHandler(
        (exception, commandArgs) -> {
          CommandLine failed = exception.getCommandLine();
          err.println("influxbak: " + exception.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(
              exception, new java.io.PrintWriter(err, true));
          err.println(
              "Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
          return ExitCodes.USAGE;
        });
    line.setExecutionStrategy(
        parsed -> {
          Logging.configure(parsed);
          return new CommandLine.RunLast().execute(parsed);
        });
    return line.execute(args);
  }

  /**
   * The subcommands a run builds: only the one its first argument names, when that one does not
   * describe the others; all of them for help, man pages, completion scripts, and a missing or
   * mistyped command (whose suggestions name the others). Building picocli's model of every
   * subcommand took a cold run about 0.1 s more than building one.
   */
  static List<Class<?>> subcommands(String[] args) {
    if (args.length > 0) {
      for (Class<?> subcommand : SUBCOMMANDS) {
        Command spec = subcommand.getAnnotation(Command.class);
        if (!DESCRIBING.contains(subcommand)
            && (spec.name().equals(args[0]) || List.of(spec.aliases()).contains(args[0]))) {
          return List.of(subcommand);
        }
      }
    }
    return SUBCOMMANDS;
  }

  PrintStream out() {
    return out;
  }

  /** The engine backup and restore copy through, when one was given; else they copy here. */
  Optional<CopyEngine> engine() {
    return engine;
  }

  /** How a backup, restore or verify runs, as {@code --parallelism} and {@code --progress} ask. */
  TransferSettings transfer(CommonOptions common, TransferOptions transfer) {
    return TransferSettings.builder()
        .cancellation(cancellation)
        .parallelism(transfer.parallelism)
        .progress(progress(common, transfer))
        .build();
  }

  /** How a prune or check runs: cancelled by SIGINT and SIGTERM. */
  TransferSettings cancellable() {
    return TransferSettings.builder().cancellation(cancellation).build();
  }

  /** The progress listener {@code --progress} asks for ({@code --quiet}: none). */
  private ProgressListener progress(CommonOptions common, TransferOptions transfer) {
    if (common.quiet) {
      return ProgressListener.NONE;
    }
    switch (transfer.progress.toLowerCase(Locale.ROOT)) {
      case "none":
        return ProgressListener.NONE;
      case "bar":
        return new ProgressReporter(err, true);
      case "plain":
        return new ProgressReporter(err, false);
      case "auto":
        return new ProgressReporter(err, stderrIsTerminal);
      default:
        throw new CommandLine.ParameterException(
            new CommandLine(this),
            "--progress must be auto, bar, plain or none: " + transfer.progress);
    }
  }

  /** Prints a result: JSON on stdout with {@code --json}, else the human line. */
  void print(CommonOptions common, Map<String, Object> json, String human)
      throws JsonProcessingException {
    if (common.json) {
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
    } else if (!common.quiet) {
      out.println(human);
    }
  }

  static List<Map<String, Object>> phases(List<PhaseResult> phases) {
    return phases.stream()
        .<Map<String, Object>>map(
            p ->
                ImmutableMap.<String, Object>of(
                    "phase",
                    p.phase().name(),
                    "objects",
                    p.objects(),
                    "bytes",
                    p.bytes(),
                    "elapsedMillis",
                    p.elapsed().toMillis()))
        .toList();
  }

  static List<Map<String, Object>> reported(List<ReportedObject> reported) {
    return reported.stream()
        .<Map<String, Object>>map(
            r ->
                ImmutableMap.<String, Object>of(
                    "key",
                    r.key().toString(),
                    "kind",
                    r.kind().name(),
                    "disposition",
                    r.disposition().name(),
                    "reason",
                    r.reason()))
        .toList();
  }

  /**
   * The exception's message, on one line, with its type when the message alone would be unclear,
   * and the root cause's type and message when the message leaves them out (a permission error
   * whose message is only a path, "No space left on device" under a message naming the object).
   */
  static String oneLine(Exception exception) {
    String message = describe(exception);
    Throwable root = Throwables.getRootCause(exception);
    if (root != exception) {
      String rootMessage = root.getMessage();
      if (rootMessage == null || !message.contains(rootMessage)) {
        message = message + " (cause: " + describe(root) + ")";
      } else if (root instanceof java.nio.file.FileSystemException files
          && files.getReason() == null) {
        // Its message is only the path: the type is the reason (AccessDeniedException, ...).
        message = message + " (" + root.getClass().getSimpleName() + ")";
      }
    }
    return SecretScrubber.scrub(message.replace('\n', ' '));
  }

  private static String describe(Throwable exception) {
    String type = exception.getClass().getSimpleName();
    String message = exception.getMessage() == null ? type : exception.getMessage();
    if (exception instanceof java.nio.file.FileSystemException || message.equals(type)) {
      message = type + ": " + message;
    }
    return message;
  }
}
