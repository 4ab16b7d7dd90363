package io.jenkins.plugins.containerbuild.engine.api;

/**
 * Makes the engine behind {@link BuildEngine#builder()}: the engine's core registers one in
 * {@code META-INF/services}, so that this package needs none of its implementation.
 */
public interface BuildEngineProvider {
    /** A new engine with these settings. */
    BuildEngine create(EngineSettings settings);
}
