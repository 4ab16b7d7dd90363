package io.jenkins.plugins.containerbuild.engine.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a failed push's error, as a Docker daemon or BuildKit words it, for what the user needs: which part of the
 * push failed (a layer, the image config, the manifest), the HTTP status when the registry answered one, and what to
 * do. Docker's distribution client says neither the part nor (for a 401) the status; containerd's pusher (the
 * containerd image store, BuildKit) names the part by its ref and the request by its URL.
 */
public final class PushErrors {
    private static final Pattern COMMIT_REF =
            Pattern.compile("failed commit on ref \"(manifest|index|config|layer)-(sha256:[0-9a-f]{12})");
    private static final Pattern STATUS = Pattern.compile("\\b([45]\\d\\d) [A-Z][a-z]+");
    /** The upload's opaque state in a registry's upload URL: hundreds of characters that tell a user nothing. */
    private static final Pattern UPLOAD_STATE = Pattern.compile("_state=[A-Za-z0-9_%=.-]*&?");
    /** BuildKit's exporter: {@code failed to push 127.0.0.1:5000/team/app:1: …}. */
    private static final Pattern BUILDKIT_PUSH = Pattern.compile("failed to push ([^/\\s\"]+)/\\S+?: ");

    private PushErrors() {}

    /** The error without the upload state in upload URLs. */
    public static String shorten(String error) {
        return UPLOAD_STATE.matcher(error).replaceAll("");
    }

    /**
     * The part of the push the error names ({@code the manifest upload}, {@code the upload of layer sha256:…}, …), or
     * null when it names none.
     */
    public static String part(String error) {
        Matcher m = COMMIT_REF.matcher(error);
        if (m.find()) {
            return switch (m.group(1)) {
                case "manifest", "index" -> "the manifest upload";
                case "config" -> "the upload of the image config (blob " + m.group(2) + ")";
                default -> "the upload of layer " + m.group(2);
            };
        }
        if (error.contains("/manifests/")) {
            return "the manifest upload";
        }
        if (error.contains("/blobs/uploads/")) {
            return "a blob upload";
        }
        return null;
    }

    /**
     * The HTTP status the registry answered, as far as the error tells: the number, or 401 for Docker's
     * {@code unauthorized} (the registry's {@code UNAUTHORIZED} code) and containerd's missing Basic credentials; 0
     * when none.
     */
    public static int status(String error) {
        Matcher m = STATUS.matcher(error);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        String e = error.toLowerCase(Locale.ROOT);
        return e.contains("unauthorized") || e.contains("no basic auth credentials") ? 401 : 0;
    }

    /**
     * What to do about the error, or null: give or check credentials, look at the registry, check it is reachable
     * from {@code pusher} (the daemon, the builder).
     */
    public static String hint(String error, String host, boolean hadCredentials, String pusher) {
        String e = error.toLowerCase(Locale.ROOT);
        int status = status(error);
        if (status == 401 || e.contains("authentication required") || e.contains("denied")) {
            String answered =
                    status == 401 ? "the registry answered 401 Unauthorized: " : "the registry wants credentials: ";
            return answered
                    + (hadCredentials
                            ? "check the registryAuth credentials for " + host
                            : "give registryAuth for " + host);
        }
        if (status >= 500) {
            return "the registry answered " + status + ", an error on its side: see its log, or push again";
        }
        if (e.contains("connection refused")
                || e.contains("no such host")
                || e.contains("eof")
                || e.contains("connection reset")
                || e.contains("broken pipe")
                || e.contains("use of closed network connection")
                || e.contains("timeout")) {
            return "is the registry at " + host + " up and reachable from " + pusher + "?";
        }
        return null;
    }

    /**
     * BuildKit's error for a failed build, shortened, and when it is a failed push ({@code failed to push HOST/…})
     * followed by the registry, the part of the push that failed and the hint. Other errors come back shortened.
     */
    public static String explainBuildKit(String error, Predicate<String> hasCredentials) {
        String shorter = shorten(error);
        Matcher m = BUILDKIT_PUSH.matcher(shorter);
        if (!m.find()) {
            return shorter;
        }
        String host = m.group(1);
        String part = part(shorter);
        List<String> notes = new ArrayList<>();
        notes.add("the push to registry " + host + " failed" + (part == null ? "" : " at " + part));
        String hint = hint(shorter, host, hasCredentials.test(host), "the builder");
        if (hint != null) {
            notes.add(hint);
        }
        return shorter + " (" + String.join("; ", notes) + ")";
    }
}
