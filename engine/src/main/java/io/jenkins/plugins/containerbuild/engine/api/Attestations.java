package io.jenkins.plugins.containerbuild.engine.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code attestations} in buildx's {@code --attest} syntax. Only SLSA provenance is made here:
 * {@code type=provenance[,mode=min|max][,builder-id=URL]}; an SBOM needs a scanner image that cannot be pulled here.
 */
public final class Attestations {
    private static final List<String> PROVENANCE_ATTRIBUTES = List.of("mode", "builder-id");

    private Attestations() {}

    /** The attestations in canonical form ({@code type=…} first), each checked. */
    static List<String> check(List<String> given) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            Map<String, String> attrs = attributes(BuildOption.ATTESTATIONS.key() + "[" + i + "]", given.get(i));
            StringBuilder b = new StringBuilder();
            attrs.forEach((k, v) ->
                    b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
            out.add(b.toString());
        }
        return List.copyOf(out);
    }

    /**
     * The attributes of one attestation, {@code type} first.
     *
     * @throws InvalidBuildContextException naming {@code field}: an unknown type or attribute, a misspelt mode
     */
    public static Map<String, String> attributes(String field, String text) {
        String t = text == null ? "" : text.trim();
        Map<String, String> attrs = KeyValueList.parse(field, t, "type=provenance,mode=max");
        String type = attrs.remove("type");
        if ("sbom".equals(type)) {
            throw new InvalidBuildContextException(
                    field,
                    "'" + t + "': type=sbom needs BuildKit's scanner image, which cannot be pulled here; use"
                            + " type=provenance");
        }
        if (!"provenance".equals(type)) {
            throw new InvalidBuildContextException(
                    field,
                    "'" + t + "': " + (type == null ? "no type" : "type=" + type + " is not an attestation")
                            + "; write type=provenance,mode=min|max");
        }
        for (String key : attrs.keySet()) {
            if (!PROVENANCE_ATTRIBUTES.contains(key)) {
                throw new InvalidBuildContextException(
                        field,
                        "'" + t + "': type=provenance has no attribute '" + key + "'; its attributes are "
                                + String.join(", ", PROVENANCE_ATTRIBUTES));
            }
        }
        String mode = attrs.get("mode");
        if (mode != null && !mode.equals("min") && !mode.equals("max")) {
            throw new InvalidBuildContextException(
                    field, "'" + t + "': mode=" + mode + " is not a provenance mode; use mode=min or mode=max");
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("type", type);
        out.putAll(attrs);
        return out;
    }
}
