package io.jenkins.plugins.containerbuild.engine.build;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * One build as a backend sees it.
 *
 * @param buildId        the engine's id, also sent to the daemon as {@code buildid}
 * @param context        what to build
 * @param dockerfileName the Dockerfile's path inside the context tar
 * @param tar            writes the request body: the context tar, or {@link #EMPTY_BODY} when the session's file
 *                       sync serves the context
 * @param sessionId      the BuildKit session's id, or null without a session
 * @param listener       receives progress
 * @param masker         masks secret values in every text that leaves the engine
 * @param daemon         the daemon connection
 * @param handle         the build's handle, to which the backend attaches its response stream
 * @param syncedBytes    null when the context goes as the tar body; otherwise the session serves it over file
 *                       sync ({@code remote=client-session}, empty body), {@code dockerfileName} is the name
 *                       inside the synced {@code dockerfile} directory, and this tells the bytes sent
 * @param carried        for a builder that carries the session itself ({@link BuildBackend#carriesSession()}): what
 *                       the session serves; null otherwise
 */
public record BuildRun(
        String buildId,
        BuildContext context,
        String dockerfileName,
        ContextUpload.TarWriter tar,
        String sessionId,
        BuildListener listener,
        UnaryOperator<String> masker,
        DaemonClient daemon,
        BuildHandle handle,
        LongSupplier syncedBytes,
        CarriedSession carried) {

    /**
     * The session a builder carries itself (BuildKit's own API carries it inside its {@code Session} call).
     *
     * @param providers what the session serves: file sync, secrets, SSH, registry auth
     * @param sharedKey the builder's key for its cached copies of the synced directories
     */
    public record CarriedSession(List<SessionProvider> providers, String sharedKey) {
        public CarriedSession {
            providers = List.copyOf(providers);
        }
    }

    /** The body of a build whose context goes over the file sync: nothing. */
    public static final ContextUpload.TarWriter EMPTY_BODY = out -> 0L;

    /** A build that sends its context as the tar body. */
    public BuildRun(
            String buildId,
            BuildContext context,
            String dockerfileName,
            ContextUpload.TarWriter tar,
            String sessionId,
            BuildListener listener,
            UnaryOperator<String> masker,
            DaemonClient daemon,
            BuildHandle handle) {
        this(buildId, context, dockerfileName, tar, sessionId, listener, masker, daemon, handle, null, null);
    }

    /** True when the context goes over the session's file sync. */
    public boolean fileSync() {
        return syncedBytes != null;
    }
}
