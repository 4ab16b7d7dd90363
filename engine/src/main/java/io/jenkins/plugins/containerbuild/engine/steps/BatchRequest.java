package io.jenkins.plugins.containerbuild.engine.steps;

import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The arguments of {@code containerBatchBuild(builds: [[...], [...]], maxParallel: 4, failFast: true)}:
 * several builds, each read as by {@link BuildSpecArguments#fromArguments(Map)} (errors name the entry, e.g.
 * {@code builds[1].tags}).
 */
public final class BatchRequest implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The accepted argument names. */
    public static final Set<String> ARGUMENTS =
            Collections.unmodifiableSet(new LinkedHashSet<>(List.of("builds", "maxParallel", "failFast")));

    public static final int DEFAULT_MAX_PARALLEL = 4;
    public static final int MAX_PARALLEL_LIMIT = 32;

    private final ArrayList<BuildSpec> builds;
    private final int maxParallel;
    private final boolean failFast;

    private BatchRequest(List<BuildSpec> builds, int maxParallel, boolean failFast) {
        this.builds = new ArrayList<>(builds);
        this.maxParallel = maxParallel;
        this.failFast = failFast;
    }

    /**
     * Reads the batch step's arguments.
     *
     * @throws InvalidBuildContextException for a missing or empty {@code builds}, a bad entry, or a
     *                                      {@code maxParallel} outside 1..32
     */
    public static BatchRequest fromArguments(Map<String, ?> args) {
        Arguments a = Arguments.of("", args, ARGUMENTS);
        if (!a.has("builds")) {
            throw new InvalidBuildContextException(
                    "builds",
                    "is required: give a list of builds, e.g."
                            + " builds: [[tags: ['app:1']], [context: 'worker', tags: ['worker:1']]]");
        }
        List<Map<String, ?>> maps = a.maps("builds", "[context: '.', tags: ['app:1']]");
        if (maps.isEmpty()) {
            throw new InvalidBuildContextException("builds", "is empty; give at least one build");
        }
        List<BuildSpec> builds = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            builds.add(BuildSpecArguments.fromArguments("builds[" + i + "].", maps.get(i)));
        }
        checkOneEngine(builds);
        int maxParallel = a.integer("maxParallel", DEFAULT_MAX_PARALLEL, 1, MAX_PARALLEL_LIMIT);
        return new BatchRequest(builds, maxParallel, a.bool("failFast", false));
    }

    /**
     * One engine with one set of batch options runs all the builds: they must agree on what configures it (builder,
     * backend, timeout), and quality gates belong to single builds.
     */
    private static void checkOneEngine(List<BuildSpec> builds) {
        BuildSpec first = builds.get(0);
        for (int i = 0; i < builds.size(); i++) {
            BuildSpec b = builds.get(i);
            String p = "builds[" + i + "].";
            if (!b.gates().isEmpty()) {
                throw new InvalidBuildContextException(
                        p + "failIf", "failIf/unstableIf are only supported by containerBuild, not in a batch");
            }
            same(p + "backend", first.backend(), b.backend());
            same(p + "timeout", first.timeout(), b.timeout());
            same(p + "builder", first.builder(), b.builder());
            same(p + "builderCredentialsId", first.builderCredentialsId(), b.builderCredentialsId());
        }
    }

    private static void same(String field, Object first, Object given) {
        if (!Objects.equals(first, given)) {
            throw new InvalidBuildContextException(
                    field,
                    "every build of a batch must have the same value (builds[0]: " + first + ", this one: " + given
                            + ")");
        }
    }

    /** The builds, in the order given. */
    public List<BuildSpec> builds() {
        return Collections.unmodifiableList(builds);
    }

    /** This batch with each build replaced by {@code f} of it (e.g. with its tag rules applied). */
    public BatchRequest map(java.util.function.UnaryOperator<BuildSpec> f) {
        return new BatchRequest(builds.stream().map(f).toList(), maxParallel, failFast);
    }

    /** How many builds run at once, 1..32; default 4. */
    public int maxParallel() {
        return maxParallel;
    }

    /** True when the first failure cancels the builds still running or waiting; default false. */
    public boolean failFast() {
        return failFast;
    }

    /** Every credentials id any build needs, each once. */
    public List<String> credentialIds() {
        Set<String> ids = new LinkedHashSet<>();
        builds.forEach(b -> ids.addAll(b.credentialIds()));
        return List.copyOf(ids);
    }

    /** The arguments that give this batch again. */
    public Map<String, Object> toArguments() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("builds", builds.stream().map(BuildSpecArguments::toArguments).toList());
        m.put("maxParallel", maxParallel);
        m.put("failFast", failFast);
        return m;
    }

    @Override
    public String toString() {
        return "BatchRequest" + toArguments();
    }
}
