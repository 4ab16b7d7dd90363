package io.jenkins.plugins.containerbuild.engine.build;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;

/**
 * One kind of builder behind the Engine API's {@code POST /build}. Each lives in its own package; the engine core
 * picks one per build, asks it to refuse what it cannot do, then runs the build on it.
 */
public interface BuildBackend {
    /**
     * Refuses, before anything is sent, what this builder cannot do safely or at all (e.g. a secret where the
     * builder would write it to disk). The error names the option and what would work.
     */
    default void refuseUnsupported(BuildContext ctx) {}

    /** Runs one build on the daemon and reports what its stream said. */
    BackendOutcome run(BuildRun run);
}
