package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.ActiveBuild;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.Platform;
import io.jenkins.plugins.containerbuild.engine.build.BuildHandle;
import io.jenkins.plugins.containerbuild.engine.daemon.BuildCacheApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/** The builds running now, and the one place where a build is cancelled (by request, timeout or close). */
final class RunningBuilds {
    /** How long BuildKit gets to end a cancelled build's stream itself before it is closed here. */
    private static final Duration STREAM_GRACE = Duration.ofSeconds(10);

    private final Map<String, BuildHandle> active = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> pushRuns = new ConcurrentHashMap<>();
    private final BuildCacheApi cacheApi;
    private final EngineThreads threads;
    private final BooleanSupplier stopsByClosing;

    /**
     * @param stopsByClosing whether the builder stops a build when its call is closed (the classic builder, Podman,
     *                       BuildKit's own API) rather than after the daemon's own cancel
     */
    RunningBuilds(BuildCacheApi cacheApi, EngineThreads threads, BooleanSupplier stopsByClosing) {
        this.cacheApi = cacheApi;
        this.threads = threads;
        this.stopsByClosing = stopsByClosing;
    }

    /** Registered before anything else, so that a cancel arriving while the build is prepared is not lost. */
    BuildHandle register(String buildId, BuildContext ctx) {
        BuildHandle handle = new BuildHandle(buildId, ctx);
        active.put(buildId, handle);
        return handle;
    }

    void remove(String buildId) {
        active.remove(buildId);
    }

    /** Marks a push or multi-platform run; its platforms still waiting for a slot see the mark and do not start. */
    AtomicBoolean startPushRun(String buildId) {
        AtomicBoolean cancelled = new AtomicBoolean();
        pushRuns.put(buildId, cancelled);
        return cancelled;
    }

    void endPushRun(String buildId) {
        pushRuns.remove(buildId);
    }

    /**
     * Cancels a build and the daemon builds it runs per platform ({@code <buildId>-<os>-<arch>[-<variant>]}:
     * exactly those, not every id that happens to start with the given text). Unknown ids are ignored.
     */
    void cancel(String buildId, String reason) {
        Objects.requireNonNull(buildId, "buildId");
        AtomicBoolean pushRun = pushRuns.get(buildId);
        if (pushRun != null) {
            pushRun.set(true);
        }
        for (Platform p : Platform.values()) {
            cancelOne(buildId + PushRunner.suffix(p), reason);
        }
        cancelOne(buildId, reason);
    }

    /** Cancels every running build. */
    void cancelAll(String reason) {
        List.copyOf(active.keySet()).forEach(id -> cancel(id, reason));
    }

    private void cancelOne(String buildId, String reason) {
        BuildHandle h = active.get(buildId);
        if (h == null) {
            return;
        }
        h.markCancelled(reason);
        // A daemon that hangs must hold up neither the caller nor the timer thread, which runs every build's
        // timeout; closing the stream below ends the build here in any case.
        EngineThreads.startDaemonThread(() -> askDaemonToCancel(buildId), "container-build-cancel-");
        if (stopsByClosing.getAsBoolean()) {
            // The classic builder, Podman's and BuildKit's own API stop when their client's call goes away.
            h.abortStream();
        } else {
            // BuildKit ends the stream with "context canceled"; close it ourselves if it does not soon.
            threads.schedule(h::abortStream, STREAM_GRACE);
        }
    }

    private void askDaemonToCancel(String buildId) {
        try {
            cacheApi.cancel(buildId);
        } catch (RuntimeException e) {
            // the daemon may be gone; the stream is closed in any case
        }
    }

    /** The running builds with their latest progress, oldest first. */
    List<ActiveBuild> snapshot() {
        List<ActiveBuild> out = new ArrayList<>();
        active.values().forEach(h -> out.add(h.snapshot()));
        out.sort(Comparator.comparing(ActiveBuild::startedAt));
        return out;
    }
}
