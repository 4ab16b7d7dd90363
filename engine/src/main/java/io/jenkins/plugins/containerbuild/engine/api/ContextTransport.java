package io.jenkins.plugins.containerbuild.engine.api;

/** How the build context reaches a BuildKit daemon. The classic builder always takes a tar. */
public enum ContextTransport {
    /**
     * Over the BuildKit session's file sync ({@code remote=client-session}), as the docker CLI does: the daemon
     * keeps a copy of the context per directory and asks only for new or changed files, so a rebuild after a
     * small change sends about that change. Falls back to {@link #TAR} when the daemon refuses it.
     */
    FILE_SYNC,
    /** The whole context as a tar in the request body, every build. */
    TAR
}
