package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import io.jenkins.plugins.containerbuild.engine.session.auth.AuthProvider;
import io.jenkins.plugins.containerbuild.engine.session.filesend.FileSendProvider;
import io.jenkins.plugins.containerbuild.engine.session.filesend.OutputTarget;
import io.jenkins.plugins.containerbuild.engine.session.secrets.SecretsProvider;
import io.jenkins.plugins.containerbuild.engine.session.sshforward.SshForwardProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The session providers a build registers: whoever opens a session decides what it serves. */
public final class SessionProviders {
    private SessionProviders() {}

    /** What {@code ctx} needs served: its secrets, SSH keys and registry credentials (health is always added). */
    public static List<SessionProvider> forBuild(BuildContext ctx) {
        return List.of(
                new SecretsProvider(ctx.secrets()),
                new SshForwardProvider(ctx.sshKeys()),
                new AuthProvider(ctx.registryAuth()));
    }

    /**
     * What receives the outputs the builder sends to this machine, by the position of each output among the build's
     * exporters (the outputs, in order); null when there are none.
     */
    public static FileSendProvider outputsFor(BuildContext ctx) {
        Map<Integer, OutputTarget> targets = new HashMap<>();
        List<BuildOutput> outputs = ctx.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            BuildOutput o = outputs.get(i);
            if (o.toClient()) {
                targets.put(i, new OutputTarget(o.dest(), o.type() == BuildOutput.Type.LOCAL));
            }
        }
        return targets.isEmpty() ? null : new FileSendProvider(targets);
    }
}
