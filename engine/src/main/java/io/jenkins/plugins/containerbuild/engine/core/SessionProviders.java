package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import io.jenkins.plugins.containerbuild.engine.session.auth.AuthProvider;
import io.jenkins.plugins.containerbuild.engine.session.filesend.FileSendProvider;
import io.jenkins.plugins.containerbuild.engine.session.secrets.SecretsProvider;
import io.jenkins.plugins.containerbuild.engine.session.sshforward.SshForwardProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The session providers a build registers: whoever opens a session decides what it serves. */
public final class SessionProviders {
    private SessionProviders() {}

    /**
     * What {@code ctx} needs served: its secrets, SSH keys and registry credentials, and the files its outputs are
     * written to (health is always added).
     */
    public static List<SessionProvider> forBuild(BuildContext ctx) {
        List<SessionProvider> list = new ArrayList<>();
        list.add(new SecretsProvider(ctx.secrets()));
        list.add(new SshForwardProvider(ctx.sshKeys()));
        list.add(new AuthProvider(ctx.registryAuth()));
        List<Path> files = ctx.outputs().stream()
                .filter(o -> o.toClient() && o.type() != BuildOutput.Type.LOCAL)
                .map(BuildOutput::dest)
                .toList();
        if (!files.isEmpty()) {
            list.add(new FileSendProvider(files));
        }
        return list;
    }
}
