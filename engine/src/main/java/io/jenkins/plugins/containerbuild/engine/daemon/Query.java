package io.jenkins.plugins.containerbuild.engine.daemon;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds a URL query string; repeatable keys are simply added again. */
public final class Query {
    private final StringBuilder sb = new StringBuilder();

    public Query add(String key, String value) {
        if (value == null) {
            return this;
        }
        sb.append(sb.length() == 0 ? '?' : '&')
                .append(URLEncoder.encode(key, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        return this;
    }

    public Query addIf(boolean condition, String key, String value) {
        return condition ? add(key, value) : this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
