package io.jenkins.plugins.containerbuild.engine.meta;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tags and OCI labels the rules gave.
 *
 * @param tags    full references ({@code image:tag}) per image, images in the order given; bare tags when no image
 *                was given
 * @param labels  {@code org.opencontainers.image.*} labels, sorted by key
 * @param version the first tag, the {@code org.opencontainers.image.version} label; empty when no rule made one
 */
public record ImageMetadata(List<String> tags, Map<String, String> labels, String version) {
    public ImageMetadata {
        tags = List.copyOf(tags);
        labels = Map.copyOf(labels);
    }

    /** As {@code container-build meta} prints it: {@code {"tags":[…],"labels":{…}}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tags", tags);
        m.put("labels", new java.util.TreeMap<>(labels));
        return m;
    }
}
