package io.jenkins.plugins.containerbuild.engine.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The engine's threads: the workers of asynchronous builds and the timer of every build's timeout. */
final class EngineThreads {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;

    EngineThreads(int workerCount) {
        workers = Executors.newFixedThreadPool(workerCount, r -> daemonThread(r, "container-build-worker-"));
        timers = Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "container-build-timer-"));
    }

    /** A daemon thread (not started): the engine never keeps a JVM alive. */
    static Thread daemonThread(Runnable r, String prefix) {
        Thread t = new Thread(r, prefix + COUNT.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    /** Runs {@code r} on a thread of its own, so that a hanging daemon holds up no caller. */
    static void startDaemonThread(Runnable r, String prefix) {
        daemonThread(r, prefix).start();
    }

    void execute(Runnable r) {
        workers.execute(r);
    }

    ScheduledFuture<?> schedule(Runnable r, Duration delay) {
        return timers.schedule(r, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops every thread; returns the queued work that never ran. */
    List<Runnable> shutdown() {
        List<Runnable> never = workers.shutdownNow();
        timers.shutdownNow();
        return never;
    }
}
