package io.jenkins.plugins.containerbuild.steps;

import hudson.util.ListBoxModel;

/** The backend choices of the forms. */
public final class Backends {
    private Backends() {}

    /** Automatic, BuildKit, classic, Podman. */
    public static ListBoxModel items() {
        ListBoxModel m = new ListBoxModel();
        m.add("Automatic (Podman on a Podman service, else BuildKit when the daemon has it)", "");
        m.add("BuildKit", "buildkit");
        m.add("Classic builder", "classic");
        m.add("Podman (podman system service)", "podman");
        return m;
    }
}
