package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import io.jenkins.plugins.containerbuild.engine.build.BuildBackend;
import io.jenkins.plugins.containerbuild.engine.build.BuildHandle;
import io.jenkins.plugins.containerbuild.engine.build.BuildRun;
import io.jenkins.plugins.containerbuild.engine.build.ImageFacts;
import io.jenkins.plugins.containerbuild.engine.build.PlatformManifest;
import io.jenkins.plugins.containerbuild.engine.context.ContextArchive;
import io.jenkins.plugins.containerbuild.engine.mask.SecretMasker;
import io.jenkins.plugins.containerbuild.engine.session.BuildSession;
import io.jenkins.plugins.containerbuild.engine.session.content.ContentStoreProvider;
import io.jenkins.plugins.containerbuild.engine.session.filesend.FileSendProvider;
import io.jenkins.plugins.containerbuild.engine.session.filesync.FileSyncProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * One daemon build as it passes through the {@link BuildStep}s: what was asked, and what each step has decided
 * so far. Confined to the thread that runs the build; the {@link BuildHandle} is what other threads share.
 * Closing it releases what the steps opened (session, masker), last opened first.
 */
final class BuildState implements AutoCloseable {
    final String buildId;
    final BuildContext ctx;
    final BuildListener out;
    final Duration timeout;
    final BuildHandle handle;

    Backend backend;
    BuildBackend builder;
    ContextArchive archive;
    /** The file sync serving the context, or null when it goes as the tar body. */
    FileSyncProvider sync;

    SecretMasker masker;
    /** The build's session, or null when it needs none (or the daemon refused one it could do without). */
    BuildSession session;
    /** What the session serves when the builder carries the session itself; null otherwise. */
    BuildRun.CarriedSession carried;

    /** Receives the outputs sent to this machine, staged until the build succeeds; null when there are none. */
    FileSendProvider outputs;
    /** Serves the build's cache directories, exports staged until the build succeeds; null when there are none. */
    ContentStoreProvider cacheStores;

    Instant start;
    BackendOutcome outcome;
    ImageFacts facts;
    /** The index's per-platform manifests when the builder made several platforms in one solve. */
    List<PlatformManifest> platformManifests = List.of();
    /** The digests of the attestation manifests stored beside the image. */
    List<String> attestationManifests = List.of();

    BuildResult result;

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    BuildState(String buildId, BuildContext ctx, BuildListener out, Duration timeout, BuildHandle handle) {
        this.buildId = buildId;
        this.ctx = ctx;
        this.out = out;
        this.timeout = timeout;
        this.handle = handle;
    }

    /** Closes {@code resource} when the build is over. */
    <T extends AutoCloseable> T closeLater(T resource) {
        if (resource != null) {
            opened.push(resource);
        }
        return resource;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                if (first == null) {
                    first = r;
                } else {
                    first.addSuppressed(r);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
