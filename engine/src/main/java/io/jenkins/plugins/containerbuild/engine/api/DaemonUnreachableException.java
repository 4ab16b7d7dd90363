package io.jenkins.plugins.containerbuild.engine.api;

/** The Docker daemon could not be reached (or stopped answering). The message names the host tried. */
public class DaemonUnreachableException extends BuildException {
    private static final long serialVersionUID = 1L;
    private final String host;

    public DaemonUnreachableException(String host, String detail, Throwable cause) {
        super("cannot reach the Docker daemon at " + host + ": " + detail, cause);
        this.host = host;
    }

    public String host() {
        return host;
    }
}
