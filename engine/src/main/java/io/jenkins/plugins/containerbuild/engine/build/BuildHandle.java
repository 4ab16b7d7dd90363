package io.jenkins.plugins.containerbuild.engine.build;

import io.jenkins.plugins.containerbuild.engine.api.ActiveBuild;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;

/**
 * A running build's handle: what it is, its latest progress, and how to stop it. Shared between
 * the thread that runs the build and whoever cancels it.
 */
public final class BuildHandle {
    private final String buildId;
    private final BuildContext context;
    private final Instant startedAt = Instant.now();
    private volatile BuildProgress last;
    private volatile boolean cancelled;
    private volatile String cancelReason;
    private volatile Closeable stream;

    public BuildHandle(String buildId, BuildContext context) {
        this.buildId = buildId;
        this.context = context;
    }

    public String buildId() {
        return buildId;
    }

    /** Wraps a listener so the handle always knows the latest event. */
    public BuildListener tracking(BuildListener listener) {
        return p -> {
            last = p;
            listener.onProgress(p);
        };
    }

    /** The response stream being read; closing it aborts the request. */
    public void attach(Closeable responseStream) {
        this.stream = responseStream;
        if (cancelled) {
            abortStream();
        }
    }

    /** Marks the build cancelled; the caller also asks the daemon to cancel it. */
    public void markCancelled(String reason) {
        cancelReason = reason;
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Why it was cancelled (e.g. "cancelled by request", "timed out after PT30M"). */
    public String cancelReason() {
        return cancelReason;
    }

    /** Closes the response stream so the reading thread stops at once. */
    public void abortStream() {
        Closeable s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (IOException | RuntimeException e) {
                // the stream is being torn down anyway
            }
        }
    }

    public ActiveBuild snapshot() {
        return new ActiveBuild(buildId, context.contextDir().toString(), context.tags(), startedAt, last);
    }
}
