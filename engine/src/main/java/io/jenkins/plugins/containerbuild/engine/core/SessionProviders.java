package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import io.jenkins.plugins.containerbuild.engine.session.auth.AuthProvider;
import io.jenkins.plugins.containerbuild.engine.session.secrets.SecretsProvider;
import io.jenkins.plugins.containerbuild.engine.session.sshforward.SshForwardProvider;
import java.util.ArrayList;
import java.util.List;

/** The session providers a build registers: whoever opens a session decides what it serves. */
public final class SessionProviders {
    private SessionProviders() {}

    /** What {@code ctx} needs served: its secrets, SSH keys and registry credentials (health is always added). */
    public static List<SessionProvider> forBuild(BuildContext ctx) {
        List<SessionProvider> list = new ArrayList<>();
        list.add(new SecretsProvider(ctx.secrets()));
        list.add(new SshForwardProvider(ctx.sshKeys()));
        list.add(new AuthProvider(ctx.registryAuth()));
        return list;
    }
}
