package io.jenkins.plugins.containerbuild.engine.api;

import java.util.regex.Pattern;

/**
 * An image reference checked against Docker's reference grammar and split the way Docker splits it: the engine's
 * one parser of references. A first component with a dot or a colon, or {@code localhost}, is a registry host;
 * otherwise the image lives on Docker Hub ({@code docker.io}, with {@code library/} for one-component names).
 *
 * @param host       the registry as Docker names it (e.g. {@code 127.0.0.1:5000}, {@code docker.io})
 * @param repository the repository path inside the registry (e.g. {@code team/app}, {@code library/busybox})
 * @param tag        the tag, or null when the reference has none
 * @param digest     the digest ({@code sha256:…}), or null when the reference has none
 */
public record ImageReference(String host, String repository, String tag, String digest) {
    /** Docker Hub's registry name. */
    public static final String DOCKER_HUB = "docker.io";

    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN =
            "(?:" + DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*|\\[[0-9a-fA-F:]+\\])" + "(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile(
            "(?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT + ")*(?::" + TAG + ")?(?:@" + DIGEST + ")?");

    /**
     * Checks and splits a reference.
     *
     * @param field the option's name for the error message
     * @throws InvalidBuildContextException when {@code text} is empty, too long or not a reference
     */
    public static ImageReference parse(String field, String text) {
        String r = check(field, text);
        String digest = null;
        int at = r.indexOf('@');
        if (at >= 0) {
            digest = r.substring(at + 1);
            r = r.substring(0, at);
        }
        String host = DOCKER_HUB;
        int slash = r.indexOf('/');
        if (slash > 0) {
            String first = r.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                host = first;
                r = r.substring(slash + 1);
            }
        }
        String tag = null;
        int colon = r.lastIndexOf(':');
        if (colon > 0) {
            tag = r.substring(colon + 1);
            r = r.substring(0, colon);
        }
        return new ImageReference(host, host.equals(DOCKER_HUB) && !r.contains("/") ? "library/" + r : r, tag, digest);
    }

    /** The reference, trimmed, when it is one; see {@link #parse}. */
    static String check(String field, String ref) {
        if (ref == null || ref.isBlank()) {
            throw new InvalidBuildContextException(
                    field, "must not be empty; use e.g. registry.example.com/team/app:1.0");
        }
        String r = ref.trim();
        if (r.length() > 255 + 128 + 80) {
            throw new InvalidBuildContextException(field, "'" + r + "' is too long for an image reference");
        }
        if (!REFERENCE.matcher(r).matches()) {
            String hint = r.chars().anyMatch(Character::isUpperCase) && !r.contains("/")
                    ? " (repository names must be lowercase)"
                    : "";
            throw new InvalidBuildContextException(
                    field,
                    "'" + r + "' is not a valid image reference" + hint
                            + "; use [registry[:port]/]name[:tag], e.g. team/app:1.0");
        }
        return r;
    }
}
