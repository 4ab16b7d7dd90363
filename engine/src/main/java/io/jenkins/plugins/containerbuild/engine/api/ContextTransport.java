package io.jenkins.plugins.containerbuild.engine.api;

/** How the build context reaches a BuildKit daemon. The classic builder always takes a tar. */
public enum ContextTransport {
    /**
     * The default: {@link #TAR} for a small context (at most {@link #SMALL_CONTEXT_BYTES} bytes of files and
     * {@link #SMALL_CONTEXT_ENTRIES} entries), {@link #FILE_SYNC} for a larger one. The file sync's three
     * DiffCopy exchanges cost about 40 ms more than a small tar body on every build (measured on dockerd 20.10:
     * a cached rebuild of a 2 MiB context took 262 ms as a tar, 297 ms over the file sync); past about 10 MiB
     * re-sending the tar costs more than the exchanges, and the file sync wins by sending only what changed.
     */
    AUTO,
    /**
     * Over the BuildKit session's file sync ({@code remote=client-session}), as the docker CLI does: the daemon
     * keeps a copy of the context per directory and asks only for new or changed files, so a rebuild after a
     * small change sends about that change. Falls back to {@link #TAR} when the daemon refuses it.
     */
    FILE_SYNC,
    /** The whole context as a tar in the request body, every build. */
    TAR;

    /**
     * Reads a transport from user input: {@code auto}, {@code tar} or {@code file-sync} (any case; {@code _}
     * for {@code -}); blank means {@link #AUTO}.
     *
     * @param field the option or argument name, for the error
     * @throws InvalidBuildContextException naming {@code field} for anything else
     */
    public static ContextTransport parse(String field, String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        for (ContextTransport t : values()) {
            if (t.name().equalsIgnoreCase(value.trim().replace('-', '_'))) {
                return t;
            }
        }
        throw new InvalidBuildContextException(
                field, "unknown context transport '" + value + "'; use one of auto, tar, file-sync");
    }

    /** The most bytes of file contents {@link #AUTO} still sends as a tar. */
    public static final long SMALL_CONTEXT_BYTES = 4L << 20;
    /** The most entries (files, directories, links) {@link #AUTO} still sends as a tar. */
    public static final int SMALL_CONTEXT_ENTRIES = 2000;
}
