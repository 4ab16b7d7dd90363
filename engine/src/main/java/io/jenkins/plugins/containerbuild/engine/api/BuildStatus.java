package io.jenkins.plugins.containerbuild.engine.api;

/** How a build ended (or that it has not ended yet). */
public enum BuildStatus {
    RUNNING,
    SUCCESS,
    FAILED,
    CANCELLED
}
