package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.context.ContextTree;
import io.jenkins.plugins.containerbuild.engine.session.filesync.FileSyncProvider;
import java.util.Map;

/** Asks the {@link TransportPolicy} how a BuildKit build's context travels, and makes its file sync if need be. */
final class ChooseTransportStep implements BuildStep {
    private final TransportPolicy policy;

    ChooseTransportStep(TransportPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void run(BuildState s) {
        // A builder that carries its session (BuildKit's own API) takes no request body: always the file sync.
        boolean fileSync = s.builder.carriesSession()
                || (s.backend == Backend.BUILDKIT && policy.choose(s.archive) == TransportPolicy.Transport.FILE_SYNC);
        if (fileSync) {
            // The context as the tar would hold it, and the Dockerfile's own folder.
            ContextTree dockerfileDir =
                    ContextTree.of(s.archive.dockerfileRealPath().getParent(), null);
            s.sync = new FileSyncProvider(Map.of("context", s.archive.tree(), "dockerfile", dockerfileDir));
        }
    }
}
