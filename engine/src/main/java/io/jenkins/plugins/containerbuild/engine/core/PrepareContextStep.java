package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.context.ContextArchive;
import java.io.IOException;

/** Walks the context once into the model both transports read (BuildKit's differs only in .dockerignore). */
final class PrepareContextStep implements BuildStep {
    @Override
    public void run(BuildState s) {
        try {
            s.archive = s.backend == Backend.BUILDKIT ? ContextArchive.forBuildKit(s.ctx) : ContextArchive.of(s.ctx);
        } catch (IOException e) {
            throw new InvalidBuildContextException("contextDir", "cannot read the build context: " + e.getMessage());
        }
    }
}
