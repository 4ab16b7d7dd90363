package io.jenkins.plugins.containerbuild.engine.steps;

import io.jenkins.plugins.containerbuild.engine.api.BuildOption;
import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an administrator sets once for every build (Jenkins's global configuration): the builder and its client
 * certificate, registry logins by host, quality gates and the time limit. A build's own arguments win; a registry
 * the build logs in to itself keeps its own login.
 *
 * @param builder              the buildkitd address, or null
 * @param builderCredentialsId its client certificate, or null
 * @param registries           host → credentials id, in order
 * @param failIf               gate thresholds, as {@code failIf} takes them; empty for none
 * @param unstableIf           gate thresholds, as {@code unstableIf} takes them; empty for none
 * @param timeout              e.g. {@code 1h}, or null
 */
public record BuildDefaults(
        String builder,
        String builderCredentialsId,
        Map<String, String> registries,
        Map<String, Object> failIf,
        Map<String, Object> unstableIf,
        String timeout)
        implements Serializable {
    public BuildDefaults {
        builder = blankToNull(builder);
        builderCredentialsId = blankToNull(builderCredentialsId);
        registries = registries == null ? Map.of() : new LinkedHashMap<>(registries);
        failIf = failIf == null ? Map.of() : new LinkedHashMap<>(failIf);
        unstableIf = unstableIf == null ? Map.of() : new LinkedHashMap<>(unstableIf);
        timeout = blankToNull(timeout);
        Set<String> hosts = new LinkedHashSet<>();
        registries.forEach((host, id) -> {
            if (id == null || id.isBlank()) {
                throw new InvalidBuildContextException(
                        BuildOption.REGISTRIES.key(),
                        "the default login for " + host + " names no credentials; choose a username/password"
                                + " credential, or remove the login");
            }
        });
        for (String host : registries.keySet()) {
            if (host == null || host.isBlank() || !hosts.add(host.trim().toLowerCase(Locale.ROOT))) {
                throw new InvalidBuildContextException(
                        BuildOption.REGISTRIES.key(),
                        "the default registries list "
                                + (host == null || host.isBlank() ? "a login without a host" : host + " twice")
                                + "; give each registry host one login");
            }
        }
    }

    /**
     * The defaults as a configuration form holds them: text fields (blank for none), gate thresholds as the freestyle
     * form takes them ({@code failIfCacheHitRateBelow}, …), registry logins by host.
     *
     * @throws InvalidBuildContextException naming the field, for a threshold that is no number, a bad time limit, a
     *                                      host listed twice
     */
    public static BuildDefaults fromForm(
            String builder,
            String builderCredentialsId,
            Map<String, String> registries,
            Map<String, String> gateFields,
            String timeout) {
        Map<String, Object> form = new LinkedHashMap<>(gateFields);
        Map<String, Object> args = FreestyleForm.toArguments(form, s -> s);
        if (timeout != null && !timeout.isBlank()) {
            io.jenkins.plugins.containerbuild.engine.api.GoDuration.parse("timeout", timeout.trim());
        }
        return new BuildDefaults(
                builder,
                builderCredentialsId,
                registries,
                asMap(args.get("failIf")),
                asMap(args.get("unstableIf")),
                timeout);
    }

    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? stringKeys(m) : Map.of();
    }

    /** No defaults. */
    public static BuildDefaults none() {
        return new BuildDefaults(null, null, Map.of(), Map.of(), Map.of(), null);
    }

    /**
     * One build's arguments with these defaults where the build gives none: the builder (with its certificate only
     * when the build names no builder itself), the time limit, the gates, and a login for every default registry
     * the build does not log in to (none when the build's one login is for every registry).
     */
    public Map<String, Object> applyTo(Map<String, ?> arguments) {
        return applyTo(arguments, true);
    }

    private Map<String, Object> applyTo(Map<String, ?> arguments, boolean gates) {
        Map<String, Object> out = new LinkedHashMap<>(arguments);
        if (builder != null && !out.containsKey("builder")) {
            out.put("builder", builder);
            if (builderCredentialsId != null && !out.containsKey("builderCredentialsId")) {
                out.put("builderCredentialsId", builderCredentialsId);
            }
        }
        if (timeout != null && !out.containsKey("timeout")) {
            out.put("timeout", timeout);
        }
        if (gates && !failIf.isEmpty() && !out.containsKey("failIf")) {
            out.put("failIf", failIf);
        }
        if (gates && !unstableIf.isEmpty() && !out.containsKey("unstableIf")) {
            out.put("unstableIf", unstableIf);
        }
        addRegistries(out);
        return out;
    }

    /** {@code pruneBuildCache}'s arguments with the default builder (and its certificate) when they name none. */
    public Map<String, Object> applyToPrune(Map<String, ?> arguments) {
        Map<String, Object> out = new LinkedHashMap<>(arguments);
        if (builder != null && !out.containsKey("builder")) {
            out.put("builder", builder);
            if (builderCredentialsId != null && !out.containsKey("builderCredentialsId")) {
                out.put("builderCredentialsId", builderCredentialsId);
            }
        }
        return out;
    }

    /** A batch's arguments with each build's defaults applied (gates are single builds' only). */
    public Map<String, Object> applyToBatch(Map<String, ?> arguments) {
        Map<String, Object> out = new LinkedHashMap<>(arguments);
        if (out.get("builds") instanceof List<?> builds) {
            List<Object> each = new ArrayList<>();
            for (Object b : builds) {
                each.add(b instanceof Map<?, ?> m ? applyTo(stringKeys(m), false) : b);
            }
            out.put("builds", each);
        }
        return out;
    }

    private void addRegistries(Map<String, Object> out) {
        if (registries.isEmpty() || (out.get("registryCredentialsId") != null && out.get("registryHost") == null)) {
            return; // the build's one login is for every registry it names
        }
        Set<String> given = new LinkedHashSet<>();
        if (out.get("registryHost") != null) {
            given.add(String.valueOf(out.get("registryHost")).trim().toLowerCase(Locale.ROOT));
        }
        List<Object> logins = new ArrayList<>();
        if (out.get("registries") instanceof List<?> l) {
            for (Object login : l) {
                logins.add(login);
                if (login instanceof Map<?, ?> m && m.get("host") != null) {
                    given.add(String.valueOf(m.get("host")).trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        registries.forEach((host, id) -> {
            if (!given.contains(host.trim().toLowerCase(Locale.ROOT))) {
                logins.add(Map.of("host", host.trim(), "credentialsId", id));
            }
        });
        if (!logins.isEmpty()) {
            out.put("registries", logins);
        }
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
