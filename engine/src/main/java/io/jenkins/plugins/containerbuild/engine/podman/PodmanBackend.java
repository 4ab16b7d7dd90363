package io.jenkins.plugins.containerbuild.engine.podman;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.DaemonEndpoint;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import io.jenkins.plugins.containerbuild.engine.build.BackendOutcome;
import io.jenkins.plugins.containerbuild.engine.build.BuildBackend;
import io.jenkins.plugins.containerbuild.engine.build.BuildQueries;
import io.jenkins.plugins.containerbuild.engine.build.BuildRun;
import io.jenkins.plugins.containerbuild.engine.build.ImageStoreOnly;
import io.jenkins.plugins.containerbuild.engine.classic.ClassicBackend;
import io.jenkins.plugins.containerbuild.engine.classic.StreamDialect;
import io.jenkins.plugins.containerbuild.engine.daemon.Query;

/**
 * Builds through Podman's Docker-compatible API ({@code podman system service}): {@code POST /build}
 * with the context tar, answered by buildah in a classic-style stream ({@code STEP n/m: …},
 * {@code --> Using cache …}, {@code {"aux":{"ID":…}}}), followed with {@link StreamDialect#podman()}.
 *
 * <p>Differences from dockerd that this class handles (measured on Podman 4.3.1):
 * <ul>
 * <li>{@code extrahosts} is parsed as a JSON list, not repeated parameters;</li>
 * <li>RUN steps share the host's network namespace unless {@code networkmode=NetworkDisabled};
 *     Docker's {@code none} is ignored, so it is translated; {@code bridge} is not available; without a
 *     network RUN steps get no {@code /etc/hosts}, so extra hosts need a network;</li>
 * <li>{@code cachefrom} is accepted and ignored: a warning says so.</li>
 * </ul>
 * Secrets, SSH keys and registry credentials are refused by {@link #refuseUnsupported} before any
 * request; see docs/security.md (Podman) for why.
 */
public final class PodmanBackend implements BuildBackend {

    /** The reason a Podman build cannot take build secrets, SSH keys or registry credentials. */
    public static final String NO_SECRETS = "the Podman backend cannot take build secrets, SSH keys or registry"
            + " credentials: Podman's compat /build (4.3) reads a secret only from a file it unpacks from the request,"
            + " and buildah then copies that file into the build container's directory under the storage graph root"
            + " (/var/lib/containers/storage/overlay-containers/<id>/userdata/secrets) on disk; registry credentials"
            + " are written to a temporary auth file; SSH forwarding is not offered by the compat API at all."
            + " Use the BUILDKIT backend against dockerd for builds that need them (secrets are never passed as build"
            + " arguments)";

    @Override
    public String describe(DaemonEndpoint daemon) {
        return "the Podman service at " + daemon;
    }

    @Override
    public void refuseUnsupported(BuildContext ctx) {
        ImageStoreOnly.check(ctx, "Podman's service");
        if (ctx.needsSession()) {
            String field = !ctx.secrets().isEmpty() ? "secrets" : !ctx.sshKeys().isEmpty() ? "sshKeys" : "registryAuth";
            throw new InvalidBuildContextException(field, NO_SECRETS);
        }
        if (ctx.networkMode().equals("bridge")) {
            throw new InvalidBuildContextException(
                    "networkMode",
                    "the Podman backend cannot run RUN steps on a bridge"
                            + " network (its compat /build offers the host's network or none); use default, host or none");
        }
        if (ctx.networkMode().equals("none") && !ctx.extraHosts().isEmpty()) {
            throw new InvalidBuildContextException(
                    "extraHosts",
                    "the Podman backend writes no /etc/hosts for RUN steps"
                            + " without a network, so extra hosts cannot be added with network mode none");
        }
    }

    @Override
    public BackendOutcome run(BuildRun run) {
        BuildContext ctx = run.context();
        refuseUnsupported(ctx);
        Query q = BuildQueries.common(run, "1", true).add("rm", "1").add("forcerm", "1");
        if (ctx.networkMode().equals("none")) {
            // Podman ignores networkmode=none; NetworkDisabled gives RUN steps a namespace with only lo.
            q.add("networkmode", "NetworkDisabled");
        }
        if (ctx.platforms().size() == 1) {
            q.add("platform", ctx.platforms().get(0).specifier());
        }
        if (!ctx.cacheFrom().isEmpty()) {
            run.listener()
                    .onProgress(new BuildProgress(
                            run.buildId(),
                            BuildProgress.Kind.INFO,
                            0,
                            0,
                            0,
                            "",
                            "warning: Podman's compat /build ignores cache-from " + ctx.cacheFrom()
                                    + "; only its local layer cache is used"));
        }
        return ClassicBackend.stream(
                run, q, StreamDialect.podman(), describe(run.daemon().endpoint()));
    }
}
