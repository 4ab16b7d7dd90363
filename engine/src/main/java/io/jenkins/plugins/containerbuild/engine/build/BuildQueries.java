package io.jenkins.plugins.containerbuild.engine.build;

import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.daemon.Query;
import io.jenkins.plugins.containerbuild.engine.json.Json;

/** The {@code /build} query parameters both builders share. */
public final class BuildQueries {
    private BuildQueries() {}

    /** Parameters for every {@link BuildContext} field the daemon takes in the query. */
    public static Query common(BuildRun run, String version) {
        return common(run, version, false);
    }

    /**
     * As {@link #common(BuildRun, String)}; with {@code extraHostsAsJson} the extra hosts go as one
     * JSON list ({@code ["host:ip",…]}), the form Podman's compat {@code /build} parses.
     */
    public static Query common(BuildRun run, String version, boolean extraHostsAsJson) {
        BuildContext ctx = run.context();
        Query q = new Query().add("version", version).add("dockerfile", run.dockerfileName());
        ctx.tags().forEach(t -> q.add("t", t));
        ctx.target().ifPresent(t -> q.add("target", t));
        java.util.Map<String, String> args = ctx.buildArgs();
        if (ctx.inlineCache()) {
            // The daemon's BuildKit writes cache metadata into the image config when this argument is set.
            args = new java.util.LinkedHashMap<>(args);
            args.put("BUILDKIT_INLINE_CACHE", "1");
        }
        if (!args.isEmpty()) {
            q.add("buildargs", Json.write(args));
        }
        if (!ctx.labels().isEmpty()) {
            q.add("labels", Json.write(ctx.labels()));
        }
        if (!ctx.cacheFrom().isEmpty()) {
            q.add("cachefrom", Json.write(ctx.cacheFrom()));
        }
        q.addIf(ctx.noCache(), "nocache", "1").addIf(ctx.pull(), "pull", "1");
        if (extraHostsAsJson) {
            if (!ctx.extraHosts().isEmpty()) {
                java.util.List<String> hosts = new java.util.ArrayList<>();
                ctx.extraHosts().forEach((host, ip) -> hosts.add(host + ":" + ip));
                q.add("extrahosts", Json.write(hosts));
            }
        } else {
            ctx.extraHosts().forEach((host, ip) -> q.add("extrahosts", host + ":" + ip));
        }
        return q;
    }
}
