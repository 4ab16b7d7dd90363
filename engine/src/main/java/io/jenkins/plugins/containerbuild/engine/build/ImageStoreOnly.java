package io.jenkins.plugins.containerbuild.engine.build;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;

/** The Engine API's {@code POST /build} writes only into the daemon's image store: other outputs are refused. */
public final class ImageStoreOnly {
    private ImageStoreOnly() {}

    /**
     * Whether the Engine API can do all {@code ctx} asks: only plain {@code type=image} outputs, no cache but inline
     * and registry imports, no attestations.
     */
    public static boolean fits(BuildContext ctx) {
        return ctx.outputs().stream().noneMatch(o -> o.toClient() || !o.attrs().isEmpty())
                && ctx.cacheTo().stream().allMatch(c -> c.equals("type=inline"))
                && ctx.localCacheImports().isEmpty()
                && ctx.attestations().isEmpty();
    }

    /**
     * Refuses, before anything is sent, every output but a plain {@code type=image}.
     *
     * @param builder what to call the builder, e.g. {@code the Docker daemon's BuildKit}
     */
    public static void check(BuildContext ctx, String builder) {
        if (!ctx.attestations().isEmpty()) {
            throw new InvalidBuildContextException(
                    "attestations",
                    builder + " builds through the Docker Engine API, which makes no attestations; "
                            + ctx.attestations() + " needs a buildkitd builder (builder: 'tcp://…' / --builder)");
        }
        ctx.cacheTo().stream().filter(c -> !c.equals("type=inline")).findFirst().ifPresent(c -> {
            throw new InvalidBuildContextException(
                    "cacheTo",
                    "'" + c + "': " + builder + " builds through the Docker Engine API, which exports cache only into"
                            + " the image (cacheTo: 'type=inline' with push); registry and local cache exports need a"
                            + " buildkitd builder (builder: 'tcp://…' / --builder)");
        });
        ctx.localCacheImports().stream().findFirst().ifPresent(c -> {
            throw new InvalidBuildContextException(
                    "cacheFrom",
                    "'" + c + "': " + builder + " builds through the Docker Engine API, which imports cache only from"
                            + " images (cacheFrom: 'HOST/REPO:TAG'); a local cache import needs BuildKit: a Docker"
                            + " daemon with BuildKit or a buildkitd builder (builder: 'tcp://…' / --builder)");
        });
        for (BuildOutput o : ctx.outputs()) {
            if (o.toClient() || !o.attrs().isEmpty()) {
                throw new InvalidBuildContextException(
                        "outputs",
                        "'" + o + "': " + builder + " builds through the"
                                + " Docker Engine API, which writes only into the daemon's image store (use tags and push);"
                                + " oci, docker, tar and local outputs need BuildKit: a Docker daemon with BuildKit, or a"
                                + " standalone buildkitd builder (CLI: --builder unix://… or tcp://…)");
            }
        }
    }
}
