package io.jenkins.plugins.containerbuild.engine.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A read-only JSON value as the daemon, a registry or one of our files gave it. Navigation never fails: a
 * missing member reads as a missing value whose {@code asText(default)} is the default, as Docker's own
 * clients treat absent fields. Iterating gives an array's elements or an object's values.
 */
public final class JsonValue implements Iterable<JsonValue> {
    private final JsonNode node;

    JsonValue(JsonNode node) {
        this.node = node == null ? MissingNode.getInstance() : node;
    }

    /** The member {@code name}; a missing value when there is none. */
    public JsonValue path(String name) {
        return new JsonValue(node.path(name));
    }

    /** The member {@code name} (as {@link #path(String)}). */
    public JsonValue get(String name) {
        return path(name);
    }

    /** The array element at {@code index}; a missing value when there is none. */
    public JsonValue get(int index) {
        return new JsonValue(node.path(index));
    }

    /** True when the member exists (even as JSON {@code null}). */
    public boolean has(String name) {
        return node.has(name);
    }

    /** True when the member exists and is not JSON {@code null}. */
    public boolean hasNonNull(String name) {
        return node.hasNonNull(name);
    }

    /** True for JSON {@code null} and for a missing value. */
    public boolean isNull() {
        return node.isNull() || node.isMissingNode();
    }

    public boolean isObject() {
        return node.isObject();
    }

    /** The text of a scalar ({@code ""} for a missing value or an object). */
    public String asText() {
        return node.asText();
    }

    /** The text of a scalar, or {@code defaultValue} when the value is missing or {@code null}. */
    public String asText(String defaultValue) {
        return node.asText(defaultValue);
    }

    public long asLong() {
        return node.asLong();
    }

    public long asLong(long defaultValue) {
        return node.asLong(defaultValue);
    }

    public int asInt() {
        return node.asInt();
    }

    public int asInt(int defaultValue) {
        return node.asInt(defaultValue);
    }

    public boolean asBoolean() {
        return node.asBoolean();
    }

    /** Elements of an array, members of an object, 0 otherwise. */
    public int size() {
        return node.size();
    }

    @Override
    public Iterator<JsonValue> iterator() {
        List<JsonValue> out = new ArrayList<>(node.size());
        node.forEach(n -> out.add(new JsonValue(n)));
        return out.iterator();
    }

    /** Equal JSON values are equal (as Jackson compares trees: numbers by type and value). */
    @Override
    public boolean equals(Object o) {
        return o instanceof JsonValue v && node.equals(v.node);
    }

    @Override
    public int hashCode() {
        return node.hashCode();
    }

    /** The value as compact JSON text. */
    @Override
    public String toString() {
        return node.toString();
    }
}
