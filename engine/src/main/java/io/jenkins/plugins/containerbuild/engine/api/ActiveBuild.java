package io.jenkins.plugins.containerbuild.engine.api;

import java.time.Instant;
import java.util.List;

/**
 * A build that is running now.
 *
 * @param buildId      the engine's id (pass it to {@link BuildEngine#cancel})
 * @param contextDir   its context directory
 * @param tags         its tags
 * @param startedAt    when it started
 * @param lastProgress the latest progress event, or null before the first
 */
public record ActiveBuild(
        String buildId, String contextDir, List<String> tags, Instant startedAt, BuildProgress lastProgress) {}
