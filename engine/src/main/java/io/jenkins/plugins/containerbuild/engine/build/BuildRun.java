package io.jenkins.plugins.containerbuild.engine.build;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import java.util.function.UnaryOperator;

/**
 * One build as a backend sees it.
 *
 * @param buildId        the engine's id, also sent to the daemon as {@code buildid}
 * @param context        what to build
 * @param dockerfileName the Dockerfile's path inside the context tar
 * @param tar            writes the context tar
 * @param sessionId      the BuildKit session's id, or null without a session
 * @param listener       receives progress
 * @param masker         masks secret values in every text that leaves the engine
 * @param daemon         the daemon connection
 * @param handle         the build's handle, to which the backend attaches its response stream
 */
public record BuildRun(String buildId, BuildContext context, String dockerfileName, ContextUpload.TarWriter tar,
        String sessionId, BuildListener listener, UnaryOperator<String> masker, DaemonClient daemon,
        BuildHandle handle) {
}
