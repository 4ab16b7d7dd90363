package io.jenkins.plugins.containerbuild.engine.meta;

import io.jenkins.plugins.containerbuild.engine.api.InvalidBuildContextException;
import java.util.List;
import java.util.Locale;

/**
 * metadata-action's flavor: whether a {@code latest} tag is added ({@code auto}: when the first rule that made a tag
 * is a release: a git tag, a match, a semver version that is no pre-release), and a prefix and suffix for every tag of
 * a rule that gives none, which apply to {@code latest} too with {@code onlatest=true}.
 *
 * @param latest         {@code auto}, {@code true} or {@code false}
 * @param prefix         the global prefix; empty for none
 * @param prefixOnLatest whether {@code latest} gets the prefix
 * @param suffix         the global suffix; empty for none
 * @param suffixOnLatest whether {@code latest} gets the suffix
 */
public record Flavor(String latest, String prefix, boolean prefixOnLatest, String suffix, boolean suffixOnLatest) {
    /** {@code latest=auto}, no prefix, no suffix. */
    public static final Flavor DEFAULT = new Flavor("auto", "", false, "", false);

    /**
     * Reads flavor lines, e.g. {@code latest=false}, {@code prefix=v,onlatest=true}, {@code suffix=-alpine}.
     *
     * @throws InvalidBuildContextException naming {@code flavor}, for an unknown key or value
     */
    public static Flavor parse(List<String> lines) {
        String latest = "auto";
        String prefix = "";
        String suffix = "";
        boolean prefixOnLatest = false;
        boolean suffixOnLatest = false;
        for (String line : lines) {
            String last = null;
            for (String f : CsvFields.split(line)) {
                if (f.isEmpty()) {
                    continue;
                }
                int eq = f.indexOf('=');
                if (eq < 0) {
                    throw new InvalidBuildContextException(
                            "flavor",
                            "'" + f + "' is not KEY=VALUE; write e.g. latest=false or prefix=v,onlatest=true");
                }
                String key = f.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String value = f.substring(eq + 1).trim();
                switch (key) {
                    case "latest" -> {
                        if (!List.of("auto", "true", "false").contains(value)) {
                            throw new InvalidBuildContextException(
                                    "flavor", "latest=" + value + " is not auto, true or false");
                        }
                        latest = value;
                    }
                    case "prefix" -> {
                        prefix = value;
                        last = key;
                    }
                    case "suffix" -> {
                        suffix = value;
                        last = key;
                    }
                    case "onlatest" -> {
                        if (!value.equals("true") && !value.equals("false")) {
                            throw new InvalidBuildContextException(
                                    "flavor", "onlatest=" + value + " is not true or false");
                        }
                        if (last == null) {
                            throw new InvalidBuildContextException(
                                    "flavor",
                                    "onlatest follows the prefix or suffix it is for, e.g. suffix=-dev,onlatest=true");
                        }
                        if (last.equals("prefix")) {
                            prefixOnLatest = Boolean.parseBoolean(value);
                        } else {
                            suffixOnLatest = Boolean.parseBoolean(value);
                        }
                    }
                    default ->
                        throw new InvalidBuildContextException(
                                "flavor", "unknown key '" + key + "'; use latest, prefix, suffix, onlatest");
                }
            }
        }
        return new Flavor(latest, prefix, prefixOnLatest, suffix, suffixOnLatest);
    }
}
