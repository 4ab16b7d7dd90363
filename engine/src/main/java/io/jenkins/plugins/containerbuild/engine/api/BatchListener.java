package io.jenkins.plugins.containerbuild.engine.api;

/** Receives a batch's progress, with the position of the build in the batch's input. */
@FunctionalInterface
public interface BatchListener {
    void onProgress(int index, BuildProgress progress);
}
