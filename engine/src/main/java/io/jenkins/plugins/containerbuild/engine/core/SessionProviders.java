package io.jenkins.plugins.containerbuild.engine.core;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.api.CacheExports;
import io.jenkins.plugins.containerbuild.engine.api.CacheImports;
import io.jenkins.plugins.containerbuild.engine.session.SessionProvider;
import io.jenkins.plugins.containerbuild.engine.session.auth.AuthProvider;
import io.jenkins.plugins.containerbuild.engine.session.content.ContentStoreProvider;
import io.jenkins.plugins.containerbuild.engine.session.content.OciLayoutStore;
import io.jenkins.plugins.containerbuild.engine.session.filesend.FileSendProvider;
import io.jenkins.plugins.containerbuild.engine.session.filesend.OutputTarget;
import io.jenkins.plugins.containerbuild.engine.session.secrets.SecretsProvider;
import io.jenkins.plugins.containerbuild.engine.session.sshforward.SshForwardProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * The build's cache directories ({@code cacheTo}/{@code cacheFrom} of {@code type=local}) served as content stores;
     * null when it has none. A directory both imported and exported is served once, writable.
     */
    public static ContentStoreProvider cacheStoresFor(BuildContext ctx) {
        List<OciLayoutStore> stores = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (String c : ctx.localCacheExports()) {
            Path dest = Path.of(CacheExports.attributes(c).get("dest"))
                    .toAbsolutePath()
                    .normalize();
            if (seen.add(dest)) {
                stores.add(OciLayoutStore.forExport(dest));
            }
        }
        for (String c : ctx.localCacheImports()) {
            Path src = Path.of(CacheImports.attributes(c).get("src"))
                    .toAbsolutePath()
                    .normalize();
            if (seen.add(src)) {
                stores.add(OciLayoutStore.forImport(src));
            }
        }
        return stores.isEmpty() ? null : new ContentStoreProvider(stores);
    }
}
