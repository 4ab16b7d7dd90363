package io.jenkins.plugins.containerbuild.engine.build;

/** Runs one build on the daemon with one kind of builder. */
public interface BuildBackend {
    BackendOutcome run(BuildRun run);
}
