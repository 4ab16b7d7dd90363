package io.jenkins.plugins.containerbuild.engine.registry;

import io.jenkins.plugins.containerbuild.engine.api.ManifestFormat;
import io.jenkins.plugins.containerbuild.engine.api.Platform;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a Docker manifest list or an OCI image index; the bytes written are the bytes digested and PUT. */
public final class ManifestLists {
    private ManifestLists() {}

    /** One platform's manifest in a list. */
    public record Entry(Platform platform, Descriptor manifest) {}

    /** The list document, as compact JSON bytes. */
    public static byte[] encode(ManifestFormat format, List<Entry> entries) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schemaVersion", 2);
        doc.put("mediaType", format.mediaType());
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mediaType", e.manifest().mediaType());
            m.put("digest", e.manifest().digest());
            m.put("size", e.manifest().size());
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("architecture", e.platform().architecture());
            p.put("os", e.platform().os());
            if (e.platform().variant() != null) {
                p.put("variant", e.platform().variant());
            }
            m.put("platform", p);
            manifests.add(m);
        }
        doc.put("manifests", manifests);
        return Json.write(doc).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code sha256:<hex>} of the bytes. */
    public static String digest(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
