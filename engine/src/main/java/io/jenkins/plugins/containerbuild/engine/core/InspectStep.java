package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;

/** Reads the built image's size and layers; zeros when there is none or the inspect fails (it may be gone). */
final class InspectStep implements BuildStep {
    private final DaemonClient daemon;

    InspectStep(DaemonClient daemon) {
        this.daemon = daemon;
    }

    @Override
    public void run(BuildState s) {
        s.facts = s.builder.imageFacts(s.ctx, daemon, s.outcome);
        s.platformManifests = s.builder.platformManifests(s.ctx, s.outcome);
        s.attestationManifests = s.builder.attestationManifests(s.ctx, s.outcome);
    }
}
