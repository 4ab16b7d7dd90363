package io.jenkins.plugins.containerbuild.credentials;

/**
 * The registry an image reference points at, by Docker's rule: the first path component is a
 * registry host when it contains a dot or a colon or is {@code localhost}; otherwise the image is
 * on Docker Hub ({@code docker.io}).
 */
public final class RegistryHosts {
    /** Docker Hub's registry host. */
    public static final String DOCKER_HUB = "docker.io";

    private RegistryHosts() {
    }

    /** The registry host of {@code reference}, e.g. {@code registry.example.com:5000} or {@code docker.io}. */
    public static String of(String reference) {
        String r = reference.trim();
        int slash = r.indexOf('/');
        if (slash <= 0) {
            return DOCKER_HUB;
        }
        String first = r.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
            return first;
        }
        return DOCKER_HUB;
    }
}
