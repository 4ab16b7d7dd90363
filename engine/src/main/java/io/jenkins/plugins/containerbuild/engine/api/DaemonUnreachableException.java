package io.jenkins.plugins.containerbuild.engine.api;

/**
 * The Docker daemon (or a standalone buildkitd) could not be reached, or stopped answering. The message names the
 * address tried.
 */
public class DaemonUnreachableException extends BuildException {
    private static final long serialVersionUID = 1L;
    private final String host;

    public DaemonUnreachableException(String host, String detail, Throwable cause) {
        this("the Docker daemon", host, detail, cause);
    }

    /**
     * @param what what was tried, e.g. {@code the builder}
     */
    public DaemonUnreachableException(String what, String host, String detail, Throwable cause) {
        super("cannot reach " + what + " at " + host + ": " + detail, cause);
        this.host = host;
    }

    /**
     * A builder that answered, then went away in the middle of a build (killed, restarted, its host gone).
     *
     * @param builder what to call it, e.g. {@code the buildkitd at unix:///run/buildkit/buildkitd.sock}
     * @param during  what it was doing, e.g. {@code step '[2/3] RUN make'}
     */
    public static DaemonUnreachableException wentAway(
            String builder, String host, String during, String detail, Throwable cause) {
        return new DaemonUnreachableException(
                cause,
                host,
                builder + " went away during " + during + " (" + detail + "); check that it runs, then"
                        + " build again");
    }

    private DaemonUnreachableException(Throwable cause, String host, String message) {
        super(message, cause);
        this.host = host;
    }

    public String host() {
        return host;
    }
}
