package io.jenkins.plugins.containerbuild.engine.api;

/** A build could not be carried out. Subclasses say why. Messages never hold secret material. */
public class BuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BuildException(String message) {
        super(message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
