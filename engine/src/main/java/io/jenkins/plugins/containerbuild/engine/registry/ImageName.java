package io.jenkins.plugins.containerbuild.engine.registry;

import io.jenkins.plugins.containerbuild.engine.api.ImageReference;
import java.util.Locale;
import java.util.Objects;

/**
 * An image reference split the way Docker splits it: registry host, repository path and tag. A first
 * component with a dot or a colon, or {@code localhost}, is a registry host; otherwise the image lives
 * on Docker Hub ({@code docker.io}, with {@code library/} for one-component names).
 *
 * @param host       the registry as Docker names it (e.g. {@code 127.0.0.1:5000}, {@code docker.io})
 * @param repository the repository path inside the registry (e.g. {@code team/app})
 * @param tag        the tag ({@code latest} when the reference has none)
 */
public record ImageName(String host, String repository, String tag) {
    public static final String DOCKER_HUB = ImageReference.DOCKER_HUB;

    public ImageName {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(tag, "tag");
    }

    /**
     * Parses {@code [host/]path[:tag]} with {@link ImageReference#parse} ({@code latest} when there is no tag); a
     * digest ({@code @sha256:…}) is not accepted here.
     */
    public static ImageName parse(String ref) {
        ImageReference r = ImageReference.parse("tags", ref);
        if (r.digest() != null) {
            throw new IllegalArgumentException("'" + ref + "' is a digest reference; a tag is needed to push");
        }
        return new ImageName(r.host(), r.repository(), r.tag() == null ? "latest" : r.tag());
    }

    /** The host the registry API answers on ({@code registry-1.docker.io} for Docker Hub). */
    public String apiHost() {
        return host.equals(DOCKER_HUB) || host.equals("index.docker.io") ? "registry-1.docker.io" : host;
    }

    /** True for hosts the Docker daemon talks plain HTTP to by default: 127.0.0.0/8, localhost, ::1. */
    public boolean isLoopback() {
        String h = host.toLowerCase(Locale.ROOT);
        String name = h.startsWith("[") ? h.substring(1, Math.max(1, h.indexOf(']'))) : h.replaceFirst(":\\d+$", "");
        return name.equals("localhost") || name.startsWith("127.") || name.equals("::1");
    }

    /** {@code host/repository} (the name the daemon's push endpoint takes). */
    public String name() {
        return host + "/" + repository;
    }

    /** The same repository with another tag. */
    public ImageName withTag(String t) {
        return new ImageName(host, repository, t);
    }

    /** {@code host/repository:tag}. */
    @Override
    public String toString() {
        return name() + ":" + tag;
    }
}
