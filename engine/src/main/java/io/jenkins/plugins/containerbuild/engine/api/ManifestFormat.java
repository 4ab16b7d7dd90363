package io.jenkins.plugins.containerbuild.engine.api;

/** The kind of list a multi-platform build PUTs to the registry. */
public enum ManifestFormat {
    /** Docker manifest list ({@code application/vnd.docker.distribution.manifest.list.v2+json}); the default. */
    DOCKER("application/vnd.docker.distribution.manifest.list.v2+json"),
    /** OCI image index ({@code application/vnd.oci.image.index.v1+json}). */
    OCI("application/vnd.oci.image.index.v1+json");

    private final String mediaType;

    ManifestFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The media type of the list document. */
    public String mediaType() {
        return mediaType;
    }
}
