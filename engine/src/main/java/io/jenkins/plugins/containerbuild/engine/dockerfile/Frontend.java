package io.jenkins.plugins.containerbuild.engine.dockerfile;

import java.util.Objects;

/**
 * The Dockerfile frontend a validation is made for: the one built into a daemon's BuildKit (its version
 * decides which newer Dockerfile features it accepts), or an external one named by {@code # syntax=}, of
 * which nothing is known, so only what every frontend agrees on is checked.
 *
 * @param builder       who runs the frontend, for messages, e.g. {@code dockerd 26.1.5 (BuildKit v0.13)}
 * @param buildKitMinor the minor version of the BuildKit v0 release the frontend ships with (8 for v0.8)
 */
public record Frontend(String builder, int buildKitMinor) {
    /** The oldest frontend supported: dockerd 20.10's (BuildKit v0.8); the default without a daemon to ask. */
    public static final Frontend DOCKERD_20_10 = new Frontend("dockerd 20.10 (BuildKit v0.8)", 8);

    public Frontend {
        Objects.requireNonNull(builder, "builder");
    }

    /**
     * A Dockerfile feature newer than BuildKit v0.8's frontend, with the BuildKit release whose built-in
     * frontend first accepts it (measured on v0.8 and v0.13; the rest from BuildKit's release notes).
     */
    public enum Feature {
        /** {@code RUN <<EOF} and {@code COPY <<EOF} (dockerfile 1.4). */
        HEREDOC(10, "use one instruction with && and line continuations, or COPY a script from the context"),
        /** {@code COPY --link} / {@code ADD --link} (dockerfile 1.4). */
        LINK(10, "remove --link (the copy then happens in the normal layer chain)"),
        /** {@code RUN --network} (stable in dockerfile 1.3). */
        NETWORK(10, "remove --network"),
        /** {@code ADD --checksum} (dockerfile 1.5). */
        CHECKSUM(11, "remove --checksum and verify the download with sha256sum in a RUN step"),
        /** {@code ADD --keep-git-dir} (dockerfile 1.5). */
        KEEP_GIT_DIR(11, "remove --keep-git-dir"),
        /** {@code RUN --mount=type=tmpfs,size=…} (dockerfile 1.5). */
        MOUNT_SIZE(11, "remove size= from the mount"),
        /** {@code HEALTHCHECK --start-interval} (dockerfile 1.6). */
        START_INTERVAL(12, "remove --start-interval"),
        /** {@code RUN --mount=type=secret,env=…} (dockerfile 1.10). */
        MOUNT_ENV(16, "mount the secret as a file (target=) and read it from there"),
        /** {@code COPY --exclude} (stable in dockerfile 1.19). */
        EXCLUDE(25, "remove --exclude and list exclusions in .dockerignore"),
        /** {@code COPY --parents} (stable in dockerfile 1.20). */
        PARENTS(26, "remove --parents"),
        /** {@code RUN --security} (only in the labs channel of the Dockerfile syntax). */
        SECURITY(Integer.MAX_VALUE, "remove --security");

        private final int sinceMinor;
        private final String workaround;

        Feature(int sinceMinor, String workaround) {
            this.sinceMinor = sinceMinor;
            this.workaround = workaround;
        }

        /** What to change in the Dockerfile when the frontend lacks the feature. */
        public String workaround() {
            return workaround;
        }

        /** The first Docker Engine release that ships it, for messages. */
        String firstDocker() {
            return switch (sinceMinor) {
                case 10 -> "Docker Engine 23.0";
                case 11 -> "Docker Engine 24.0";
                case 12 -> "Docker Engine 25.0";
                case 16 -> "Docker Engine 27.3";
                case 25 -> "Docker Engine 29.0";
                case 26 -> "Docker Engine 29.1";
                default -> null;
            };
        }
    }

    /** Whether this frontend builds Dockerfiles using {@code feature}. */
    public boolean accepts(Feature feature) {
        return buildKitMinor >= feature.sinceMinor;
    }

    /**
     * Why a Dockerfile using {@code feature} (written as {@code what}) is refused, and what to change.
     *
     * @param what the construct as the user wrote it, e.g. {@code COPY --link}
     */
    String refusal(Feature feature, String what) {
        String newer = feature.firstDocker();
        return what + " is not supported by the Dockerfile frontend built into " + builder + ": " + feature.workaround()
                + (newer == null ? "" : ", or build on " + newer + " or later");
    }
}
