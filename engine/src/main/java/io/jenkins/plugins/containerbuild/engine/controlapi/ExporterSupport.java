package io.jenkins.plugins.containerbuild.engine.controlapi;

import io.jenkins.plugins.containerbuild.engine.api.BuildOutput;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a BuildKit reached through its own API can export, as measured on each builder (docs/architecture.md): a
 * standalone buildkitd exports everything and pushes itself; a Docker daemon's BuildKit names its image exporter
 * {@code moby}, writes oci and docker archives only with the containerd image store, and before v0.13 knows one
 * exporter per build.
 *
 * @param imageExporter the exporter that makes an image: {@code image}, or {@code moby} in a Docker daemon
 * @param outputs       the output types it can write
 * @param several       whether one build can have several outputs
 * @param pushes        whether its image exporter pushes ({@code push=true}); otherwise the engine pushes
 * @param cacheExports  the cache types it exports besides {@code inline} ({@code registry}, {@code local})
 * @param intoDaemon    whether its images land in a Docker daemon's image store (where they are inspected)
 */
public record ExporterSupport(
        String imageExporter,
        Set<BuildOutput.Type> outputs,
        boolean several,
        boolean pushes,
        Set<String> cacheExports,
        boolean intoDaemon) {
    public ExporterSupport {
        outputs = Set.copyOf(outputs);
        cacheExports = Set.copyOf(cacheExports);
    }

    /** A standalone buildkitd with the OCI worker. */
    public static ExporterSupport buildkitd() {
        return new ExporterSupport(
                "image", EnumSet.allOf(BuildOutput.Type.class), true, true, Set.of("registry", "local"), false);
    }

    /**
     * The BuildKit in a Docker daemon. With the containerd image store and BuildKit v0.13 (Docker 26) it does what a
     * buildkitd does (measured: every output type, registry and local cache, several platforms in one solve loaded
     * as one index, its image exporter pushing with {@code push=true}, provenance), into the daemon's store.
     *
     * @param buildKitMinor       the minor version of its BuildKit v0 release (8 for dockerd 20.10, 13 for 26)
     * @param containerdImageStore whether the daemon keeps images in containerd
     */
    public static ExporterSupport dockerDaemon(int buildKitMinor, boolean containerdImageStore) {
        if (containerdImageStore && buildKitMinor >= 13) {
            return new ExporterSupport(
                    "moby", EnumSet.allOf(BuildOutput.Type.class), true, true, Set.of("registry", "local"), true);
        }
        Set<BuildOutput.Type> types = EnumSet.of(BuildOutput.Type.IMAGE, BuildOutput.Type.LOCAL, BuildOutput.Type.TAR);
        if (containerdImageStore) {
            types.add(BuildOutput.Type.OCI);
            types.add(BuildOutput.Type.DOCKER);
        }
        return new ExporterSupport("moby", types, buildKitMinor >= 13, false, Set.of(), true);
    }
}
