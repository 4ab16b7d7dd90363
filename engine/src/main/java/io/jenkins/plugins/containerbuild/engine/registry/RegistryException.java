package io.jenkins.plugins.containerbuild.engine.registry;

import io.jenkins.plugins.containerbuild.engine.api.BuildException;

/** A registry refused or failed a request. The message names the registry; it never holds credentials. */
public class RegistryException extends BuildException {
    private static final long serialVersionUID = 1L;
    private final String registry;
    private final int status;

    public RegistryException(String registry, int status, String message, Throwable cause) {
        super(message, cause);
        this.registry = registry;
        this.status = status;
    }

    /** The registry host, as the image reference names it. */
    public String registry() {
        return registry;
    }

    /** The HTTP status, or 0 when none was received. */
    public int status() {
        return status;
    }
}
