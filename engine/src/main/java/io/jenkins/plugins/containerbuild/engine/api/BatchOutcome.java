package io.jenkins.plugins.containerbuild.engine.api;

/**
 * One build of a batch.
 *
 * @param index  its position in the batch's input
 * @param status SUCCESS, FAILED or CANCELLED
 * @param result the result, null unless SUCCESS
 * @param error  why it failed or was cancelled, null on success
 */
public record BatchOutcome(int index, BuildStatus status, BuildResult result, String error) {}
