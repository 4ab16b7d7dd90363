package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.PruneOptions;
import io.jenkins.plugins.containerbuild.engine.api.PruneResult;
import io.jenkins.plugins.containerbuild.engine.controlapi.ControlApiClient;
import io.jenkins.plugins.containerbuild.engine.daemon.BuildCacheApi;
import java.util.function.Supplier;

/** The build cache the engine's prune and statistics work on: the Docker daemon's, or a standalone buildkitd's. */
interface BuilderCache extends AutoCloseable {
    PruneResult prune(PruneOptions options);

    /** {@code [bytes, records]}. */
    long[] usage();

    @Override
    void close();

    /** The Docker daemon's cache; Podman's service has none. */
    static BuilderCache ofDaemon(BuildCacheApi api, Supplier<Backend> backend) {
        return new BuilderCache() {
            @Override
            public PruneResult prune(PruneOptions options) {
                if (backend.get() == Backend.PODMAN) {
                    throw new BuildException("Podman's service has no build cache API (POST /build/prune answers"
                            + " 404): its cache is the intermediate images of earlier builds; remove them with"
                            + " 'podman image prune'");
                }
                return api.prune(options);
            }

            @Override
            public long[] usage() {
                return api.usage();
            }

            @Override
            public void close() {}
        };
    }

    /** A buildkitd's cache through its Control API, on the connection the engine's builds use (closed with them). */
    static BuilderCache ofBuildkitd(Supplier<ControlApiClient> client) {
        return new BuilderCache() {
            @Override
            public PruneResult prune(PruneOptions options) {
                return client.get().prune(options);
            }

            @Override
            public long[] usage() {
                return client.get().usage();
            }

            @Override
            public void close() {}
        };
    }
}
