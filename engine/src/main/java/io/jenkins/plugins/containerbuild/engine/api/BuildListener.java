package io.jenkins.plugins.containerbuild.engine.api;

/** Receives progress events as the build runs. Called from the engine's reading thread, in order. */
@FunctionalInterface
public interface BuildListener {
    void onProgress(BuildProgress progress);

    /** A listener that ignores everything. */
    static BuildListener none() {
        return p -> {};
    }
}
