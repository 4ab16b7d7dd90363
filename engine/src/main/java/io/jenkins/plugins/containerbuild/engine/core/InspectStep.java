package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.BuildException;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.build.ImageFacts;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;

/** Reads the built image's size and layers; zeros when there is none or the inspect fails (it may be gone). */
final class InspectStep implements BuildStep {
    private final DaemonClient daemon;

    InspectStep(DaemonClient daemon) {
        this.daemon = daemon;
    }

    @Override
    public void run(BuildState s) {
        s.facts = new ImageFacts(0, 0);
        // A standalone buildkitd builds outside the Docker daemon: there is no image there to inspect.
        if (s.outcome.status() == BuildStatus.SUCCESS && s.outcome.imageId() != null && s.builder.buildsIntoDaemon()) {
            try {
                s.facts = ImageFacts.inspect(daemon, s.outcome.imageId());
            } catch (BuildException e) {
                // the build's own outcome stands; its image facts stay zero
            }
        }
    }
}
