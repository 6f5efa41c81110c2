package io.influxbak.cli;

/** A subcommand that runs an operation on stores and can report it in a metrics file. */
interface Operation {
  /** Where its metrics go. */
  MetricsOptions metrics();

  /** The operation's name in metrics ({@code backup}, {@code verify}, ...). */
  String operation();

  /** The node(s) or store it is about, the {@code nodes} label of its metrics. */
  String subject();
}
