package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngineProvider;
import io.jenkins.plugins.containerbuild.engine.api.EngineSettings;

/** Registered in {@code META-INF/services}: {@link BuildEngine#builder()} finds the core through it. */
public final class DefaultBuildEngineProvider implements BuildEngineProvider {
    @Override
    public BuildEngine create(EngineSettings settings) {
        return new DefaultBuildEngine(settings);
    }
}
