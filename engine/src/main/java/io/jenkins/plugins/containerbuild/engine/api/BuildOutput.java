package io.jenkins.plugins.containerbuild.engine.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a build's result goes, in buildx's {@code --output} syntax: {@code type=image[,name=…][,push=true]} (the
 * default), {@code type=oci,dest=FILE}, {@code type=docker,dest=FILE}, {@code type=tar,dest=FILE} and
 * {@code type=local,dest=DIR}; a bare path means {@code type=local,dest=PATH}.
 *
 * @param type  the exporter
 * @param attrs the exporter's attributes, as given, without {@code type} and {@code dest}
 * @param dest  the file or directory the output is written to on this machine; null for {@code image}
 */
public record BuildOutput(Type type, Map<String, String> attrs, Path dest) {
    /** The exporters. */
    public enum Type {
        /** An image in the builder's store (and pushed with {@code push=true}). */
        IMAGE,
        /** An OCI image layout, as a tar file. */
        OCI,
        /** A {@code docker load} tar file. */
        DOCKER,
        /** The image's file system, as a tar file. */
        TAR,
        /** The image's file system, written into a directory. */
        LOCAL;

        /** The exporter's name on the wire and in the syntax, e.g. {@code oci}. */
        public String exporter() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public BuildOutput {
        Objects.requireNonNull(type, "type");
        attrs = Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
    }

    /**
     * Reads one {@code --output} value.
     *
     * @param field the option's name for errors
     * @throws InvalidBuildContextException naming the option, for an unknown type, a missing or extra {@code dest}
     */
    public static BuildOutput parse(String field, String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new InvalidBuildContextException(field, "is empty; write e.g. type=oci,dest=image.tar");
        }
        if (!t.contains("=")) {
            return new BuildOutput(Type.LOCAL, Map.of(), Path.of(t));
        }
        Map<String, String> attrs = KeyValueList.parse(field, t, "e.g. type=oci,dest=image.tar");
        String typeName = attrs.remove("type");
        Type type = typeOf(field, t, typeName);
        String dest = attrs.remove("dest");
        if (type == Type.IMAGE && dest != null) {
            throw new InvalidBuildContextException(
                    field,
                    "'" + t + "': type=image has no dest; it goes to the"
                            + " builder's image store (push=true pushes it)");
        }
        if (type != Type.IMAGE && (dest == null || dest.isEmpty() || dest.equals("-"))) {
            throw new InvalidBuildContextException(
                    field,
                    "'" + t + "': type=" + type.exporter() + " needs dest=" + (type == Type.LOCAL ? "DIR" : "FILE")
                            + " (writing to standard output is not supported)");
        }
        checkAttributes(field, t, type, attrs.keySet());
        return new BuildOutput(type, attrs, dest == null ? null : Path.of(dest));
    }

    /** What BuildKit's image exporters read (v0.13), besides annotations. */
    private static final List<String> IMAGE_FILE_ATTRIBUTES = List.of(
            "name",
            "name-canonical",
            "dangling-name-prefix",
            "oci-mediatypes",
            "compression",
            "compression-level",
            "force-compression",
            "prefer-nondist-layers",
            "attestation-inline",
            "rewrite-timestamp",
            "source-date-epoch",
            "buildinfo",
            "buildinfo-attrs");

    private static final List<String> REGISTRY_ATTRIBUTES =
            List.of("push", "push-by-digest", "registry.insecure", "insecure", "unpack", "store");

    private static final List<String> FILES_ATTRIBUTES =
            List.of("platform-split", "attestation-prefix", "source-date-epoch", "rewrite-timestamp");

    /** Refuses an attribute the type's exporter does not read, which BuildKit would ignore without a word. */
    private static void checkAttributes(String field, String text, Type type, Set<String> given) {
        List<String> known = new ArrayList<>();
        boolean annotations = type != Type.TAR && type != Type.LOCAL;
        switch (type) {
            case IMAGE -> {
                known.addAll(IMAGE_FILE_ATTRIBUTES);
                known.addAll(REGISTRY_ATTRIBUTES);
            }
            case OCI, DOCKER -> {
                known.addAll(IMAGE_FILE_ATTRIBUTES);
                known.add("tar");
            }
            default -> known.addAll(FILES_ATTRIBUTES);
        }
        for (String key : given) {
            boolean annotation = key.startsWith("annotation");
            if (!known.contains(key) && !(annotations && annotation)) {
                throw new InvalidBuildContextException(
                        field,
                        "'" + text + "': type=" + type.exporter() + " has no attribute '" + key + "'; its attributes"
                                + " are " + String.join(", ", known)
                                + (annotations ? " and annotation.KEY=VALUE" : ""));
            }
        }
    }

    private static Type typeOf(String field, String text, String name) {
        if (name == null) {
            throw new InvalidBuildContextException(
                    field, "'" + text + "' has no type; write type=image, oci," + " docker, tar or local");
        }
        return Arrays.stream(Type.values())
                .filter(x -> x.exporter().equals(name.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new InvalidBuildContextException(
                        field,
                        "'" + text + "': type=" + name
                                + " is not an output; use "
                                + Arrays.stream(Type.values())
                                        .map(Type::exporter)
                                        .collect(Collectors.joining(", "))));
    }

    /** True for the outputs written on this machine through the session (every type but {@code image}). */
    public boolean toClient() {
        return type != Type.IMAGE;
    }

    /** The output in the syntax it was read from. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("type=").append(type.exporter());
        attrs.forEach((k, v) -> b.append(',').append(k).append('=').append(v));
        if (dest != null) {
            b.append(",dest=").append(dest);
        }
        return b.toString();
    }
}
