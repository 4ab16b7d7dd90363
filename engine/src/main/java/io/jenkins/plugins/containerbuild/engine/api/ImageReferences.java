package io.jenkins.plugins.containerbuild.engine.api;

import java.util.regex.Pattern;

/** Checks image references the way Docker's reference grammar does. */
final class ImageReferences {
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile(
            "(?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT + ")*(?::" + TAG + ")?(?:@" + DIGEST + ")?");

    private ImageReferences() {
    }

    static String check(String field, String ref) {
        if (ref == null || ref.isBlank()) {
            throw new InvalidBuildContextException(field, "must not be empty; use e.g. registry.example.com/team/app:1.0");
        }
        String r = ref.trim();
        if (r.length() > 255 + 128 + 80) {
            throw new InvalidBuildContextException(field, "'" + r + "' is too long for an image reference");
        }
        if (!REFERENCE.matcher(r).matches()) {
            String hint = r.chars().anyMatch(Character::isUpperCase) && !r.contains("/")
                    ? " (repository names must be lowercase)" : "";
            throw new InvalidBuildContextException(field, "'" + r + "' is not a valid image reference" + hint
                    + "; use [registry[:port]/]name[:tag], e.g. team/app:1.0");
        }
        return r;
    }
}
