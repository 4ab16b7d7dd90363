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

    public String host() {
        return host;
    }
}
