package io.influxbak.lease;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import javax.annotation.concurrent.GuardedBy;

/**
 * Runs tasks on their own threads but lets only one move at a time: each store call of a task waits
 * at {@link #gate} until the test grants that task one {@link #step}. Which task moves is the
 * test's choice, so an interleaving is reproduced from its seed.
 */
final class Scheduler {
  /** A task's body: one run of an operation. */
  interface Body {
    void run() throws Exception;
  }

  /** One task: its thread, state and how it ended. */
  final class Task {
    private final String name;

    @GuardedBy("Scheduler.this")
    private int startAt;

    private final Body body;

    @GuardedBy("Scheduler.this")
    private State state = State.NEW;

    @GuardedBy("Scheduler.this")
    @Nullable
    private Throwable failure;

    Task(String name, int startAt, Body body) {
      this.name = name;
      this.startAt = startAt;
      this.body = body;
    }

    String name() {
      return name;
    }

    @Nullable
    Throwable failure() {
      synchronized (Scheduler.this) {
        return failure;
      }
    }
  }

  private enum State {
    NEW,
    RUNNING,
    WAITING,
    DONE
  }

  @GuardedBy("this")
  private final List<Task> tasks = new ArrayList<>();

  @GuardedBy("this")
  private int permit = -1;

  @GuardedBy("this")
  private int pauses;

  synchronized Task task(String name, int startAt, Body body) {
    Task task = new Task(name, startAt, body);
    tasks.add(task);
    return task;
  }

  /** Makes a task not yet started due at {@code step}. */
  synchronized void startAt(Task task, int step) {
    task.startAt = step;
  }

  /** Whether {@code task} has started. */
  synchronized boolean started(Task task) {
    return task.state != State.NEW;
  }

  /** Starts the tasks due at {@code step} and waits until each is at its first gate or done. */
  synchronized void startDue(int step) throws InterruptedException {
    for (int i = 0; i < tasks.size(); i++) {
      Task task = tasks.get(i);
      if (task.state == State.NEW && task.startAt <= step) {
        task.state = State.RUNNING;
        Thread thread =
            new Thread(
                () -> {
                  Throwable failure = null;
                  try {
                    task.body.run();
                  } catch (Throwable t) {
                    failure = t;
                  }
                  synchronized (Scheduler.this) {
                    task.failure = failure;
                    task.state = State.DONE;
                    Scheduler.this.notifyAll();
                  }
                },
                "scheduled-" + task.name);
        thread.setDaemon(true);
        thread.start();
        while (task.state == State.RUNNING) {
          wait();
        }
      }
    }
  }

  /** The tasks waiting at a gate. */
  synchronized List<Integer> ready() {
    List<Integer> ready = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      if (tasks.get(i).state == State.WAITING) {
        ready.add(i);
      }
    }
    return ready;
  }

  /** Whether every task has started and ended. */
  synchronized boolean allDone() {
    return tasks.stream().allMatch(t -> t.state == State.DONE);
  }

  /** Whether every task but {@code task} has ended. */
  synchronized boolean allDoneBut(Task task) {
    return tasks.stream().allMatch(t -> t == task || t.state == State.DONE);
  }

  /** How many times tasks waited for a lease (their sleeper). */
  synchronized int pauses() {
    return pauses;
  }

  /** Lets task {@code index} make one call, and waits until it is at its next gate or done. */
  synchronized void step(int index) throws InterruptedException {
    Task task = tasks.get(index);
    if (task.state != State.WAITING) {
      throw new IllegalStateException(task.name + " is not waiting");
    }
    permit = index;
    notifyAll();
    while (permit == index || task.state == State.RUNNING) {
      wait();
    }
  }

  /** Called by task {@code index} before each store call: waits for its turn. */
  synchronized void gate(int index) throws InterruptedIOException {
    Task task = tasks.get(index);
    task.state = State.WAITING;
    notifyAll();
    try {
      while (permit != index) {
        wait();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted at a gate");
    }
    permit = -1;
    task.state = State.RUNNING;
    notifyAll();
  }

  /** A task's wait for a lease: one step, like a store call. */
  void pause(int index) throws InterruptedException {
    synchronized (this) {
      pauses++;
    }
    try {
      gate(index);
    } catch (InterruptedIOException e) {
      throw new InterruptedException(e.getMessage());
    }
  }
}
