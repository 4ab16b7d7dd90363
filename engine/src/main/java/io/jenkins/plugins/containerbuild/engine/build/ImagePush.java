package io.jenkins.plugins.containerbuild.engine.build;

import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.api.DaemonUnreachableException;
import io.jenkins.plugins.containerbuild.engine.api.RegistryCredentials;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonClient;
import io.jenkins.plugins.containerbuild.engine.daemon.DaemonResponse;
import io.jenkins.plugins.containerbuild.engine.daemon.Query;
import io.jenkins.plugins.containerbuild.engine.json.JsonLines;
import io.jenkins.plugins.containerbuild.engine.json.JsonObjectWriter;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import io.jenkins.plugins.containerbuild.engine.registry.ImageName;
import io.jenkins.plugins.containerbuild.engine.registry.PushErrors;
import io.jenkins.plugins.containerbuild.engine.registry.RegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /images/{name}/push?tag=…}: the daemon pushes one local tag; its stream's aux line gives the
 * manifest's digest and size (the containerd image store sends no aux line, only the status line
 * {@code <tag>: digest: sha256:… size: N}, which is read instead). Credentials travel as {@code X-Registry-Auth} (base64url JSON), {@code {}}
 * when there are none; they appear in no message.
 */
public final class ImagePush {
    /** The push's last status line: {@code 1.0: digest: sha256:<hex> size: 527}. */
    private static final Pattern DIGEST_STATUS = Pattern.compile(".*: digest: (sha256:[0-9a-f]{64}) size: (\\d+)");

    private ImagePush() {}

    /** What the daemon pushed. */
    public record Pushed(String reference, String digest, long size) {}

    public static Pushed push(
            DaemonClient daemon,
            ImageName ref,
            Optional<RegistryCredentials> creds,
            String buildId,
            BuildListener listener,
            UnaryOperator<String> masker) {
        String path = "/images/" + ref.name() + "/push" + new Query().add("tag", ref.tag());
        listener.onProgress(new BuildProgress(buildId, BuildProgress.Kind.INFO, 0, 0, 0, "", "pushing " + ref));
        String digest = null;
        long size = -1;
        String error = null;
        LayerProgress layers = new LayerProgress();
        try (DaemonResponse r = daemon.stream(
                DaemonClient.Method.POST, path, null, Map.of("X-Registry-Auth", registryAuthHeader(ref, creds)))) {
            JsonLines lines = new JsonLines(r.body());
            for (JsonValue n = lines.next(); n != null; n = lines.next()) {
                layers.status(n.path("id").asText(""), n.path("status").asText(""));
                if (n.hasNonNull("errorDetail") || n.hasNonNull("error")) {
                    error = masker.apply(n.path("errorDetail")
                            .path("message")
                            .asText(n.path("error").asText()));
                } else if (n.path("aux").hasNonNull("Digest")) {
                    digest = n.path("aux").path("Digest").asText();
                    size = n.path("aux").path("Size").asLong(-1);
                } else if (digest == null) {
                    Matcher m = DIGEST_STATUS.matcher(n.path("status").asText(""));
                    if (m.matches()) {
                        digest = m.group(1);
                        size = Long.parseLong(m.group(2));
                    }
                }
            }
        } catch (IOException e) {
            throw daemon.unreachable(e);
        } catch (io.jenkins.plugins.containerbuild.engine.daemon.DaemonApiException e) {
            error = masker.apply(e.getMessage());
        } catch (DaemonUnreachableException e) {
            throw e;
        }
        if (error != null || digest == null) {
            String why = error != null ? error : "the daemon ended the push stream without a digest";
            throw new RegistryException(
                    ref.host(), PushErrors.status(why), failure(ref, why, layers, creds.isPresent()), null);
        }
        listener.onProgress(new BuildProgress(
                buildId,
                BuildProgress.Kind.INFO,
                0,
                0,
                0,
                "",
                "pushed " + ref + " " + digest + " (" + size + " bytes)"));
        return new Pushed(ref.toString(), digest, size);
    }

    /**
     * {@code pushing REF to registry HOST failed at PART: WHY (HINT)}: the part from the error when it names one (the
     * containerd image store), else from the stream (Docker's distribution client names neither layer nor manifest
     * in its errors).
     */
    static String failure(ImageName ref, String why, LayerProgress layers, boolean hadCredentials) {
        String shorter = PushErrors.shorten(why);
        String part = PushErrors.part(shorter);
        if (part == null) {
            part = layers.failedPart();
        }
        String hint = PushErrors.hint(shorter, ref.host(), hadCredentials, "the daemon");
        return "pushing " + ref + " to registry " + ref.host() + " failed" + (part == null ? "" : " at " + part) + ": "
                + shorter + (hint == null ? "" : " (" + hint + ")");
    }

    /** Each layer's last status in the push stream (by its short id), and how many times its upload was tried. */
    static final class LayerProgress {
        private final Map<String, String> last = new LinkedHashMap<>();
        private final Map<String, Integer> attempts = new LinkedHashMap<>();

        void status(String id, String status) {
            if (id.isEmpty() || status.isEmpty()) {
                return;
            }
            String before = last.put(id, status);
            attempts.putIfAbsent(id, 1);
            // "Retrying in 5 seconds", "… 4 seconds", …: one countdown per failed attempt.
            if (status.startsWith("Retrying in") && (before == null || !before.startsWith("Retrying in"))) {
                attempts.merge(id, 1, Integer::sum);
            }
        }

        /**
         * The layer that failed (of the unfinished ones, the one tried most, else one being pushed, else the first),
         * or the config or manifest once every layer was pushed; null when the stream named no layer.
         */
        String failedPart() {
            String failed = null;
            int rank = -1;
            for (Map.Entry<String, String> e : last.entrySet()) {
                String s = e.getValue();
                if (s.equals("Pushed") || s.equals("Layer already exists") || s.startsWith("Mounted from")) {
                    continue;
                }
                int r = attempts.get(e.getKey()) * 2 + (s.equals("Pushing") ? 1 : 0);
                if (r > rank) {
                    failed = e.getKey();
                    rank = r;
                }
            }
            if (failed != null) {
                int n = attempts.get(failed);
                return "the upload of layer " + failed + (n > 1 ? " (tried " + n + " times)" : "");
            }
            return last.isEmpty() ? null : "the upload of the image config or the manifest (every layer was pushed)";
        }
    }

    /** base64url of {@code {"username":…,"password":…,"serveraddress":…}}, or of {@code {}}. */
    static String registryAuthHeader(ImageName ref, Optional<RegistryCredentials> creds) {
        if (creds.isEmpty()) {
            return Base64.getUrlEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8));
        }
        RegistryCredentials c = creds.get();
        byte[] pw = null;
        char[] pwChars = null;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            pw = c.password().read();
            java.nio.CharBuffer cb = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(pw));
            pwChars = cb.array();
            int len = cb.limit();
            try (JsonObjectWriter g = new JsonObjectWriter(out)) {
                g.field("username", c.username())
                        .field("password", pwChars, len)
                        .field("serveraddress", ref.host());
            }
            byte[] json = out.toByteArray();
            try {
                return Base64.getUrlEncoder().encodeToString(json);
            } finally {
                Arrays.fill(json, (byte) 0);
            }
        } catch (IOException e) {
            throw new RegistryException(
                    ref.host(),
                    0,
                    "cannot read the registry password for " + ref.host() + " ("
                            + c.password().describe() + "): " + e.getMessage(),
                    null);
        } finally {
            if (pw != null) {
                Arrays.fill(pw, (byte) 0);
            }
            if (pwChars != null) {
                Arrays.fill(pwChars, '\0');
            }
        }
    }
}
