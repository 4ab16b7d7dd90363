package io.jenkins.plugins.containerbuild.engine.history;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.HistoryEntry;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import io.jenkins.plugins.containerbuild.engine.json.JsonValue;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last N builds, in memory and optionally appended as JSON lines to a file the caller names
 * (loaded again when the history is created, so statistics span processes).
 */
public final class BuildHistory {
    private final int capacity;
    private final Path file;
    private final Deque<HistoryEntry> entries = new ArrayDeque<>();

    /** @param file JSON-lines file to load and append to, or null to keep history in memory only */
    public BuildHistory(int capacity, Path file) {
        if (capacity < 1) {
            throw new IllegalArgumentException("historySize: must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.file = file;
        if (file != null && Files.exists(file)) {
            for (HistoryEntry e : load(file)) {
                remember(e);
            }
        }
    }

    /** Adds a finished build (and appends it to the file, if any). */
    public synchronized void add(HistoryEntry e) {
        remember(e);
        if (file != null) {
            try {
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                try (BufferedWriter w = Files.newBufferedWriter(
                        file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    w.write(toJson(e));
                    w.newLine();
                }
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot append to the history file " + file, ex);
            }
        }
    }

    private void remember(HistoryEntry e) {
        if (entries.size() == capacity) {
            entries.removeFirst();
        }
        entries.addLast(e);
    }

    /** Oldest first. */
    public synchronized List<HistoryEntry> entries() {
        return new ArrayList<>(entries);
    }

    /** Reads a history file; lines that are not entries are skipped. */
    public static List<HistoryEntry> load(Path file) {
        List<HistoryEntry> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(fromJson(Json.parse(line)));
                } catch (IOException | RuntimeException e) {
                    // a torn last line from a crash: skip it
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history file " + file, e);
        }
        return out;
    }

    static String toJson(HistoryEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("buildId", e.buildId());
        m.put("imageId", e.imageId());
        m.put("tags", e.tags());
        m.put("status", e.status().name());
        m.put("startedAt", e.startedAt().toString());
        m.put("durationMillis", e.durationMillis());
        m.put("stepsTotal", e.stepsTotal());
        m.put("stepsCached", e.stepsCached());
        m.put("imageSizeBytes", e.imageSizeBytes());
        m.put("backend", e.backend().name());
        m.put("error", e.error());
        return Json.write(m);
    }

    static HistoryEntry fromJson(JsonValue n) {
        List<String> tags = new ArrayList<>();
        n.path("tags").forEach(t -> tags.add(t.asText()));
        return new HistoryEntry(
                n.path("buildId").asText(),
                n.path("imageId").isNull() ? null : n.path("imageId").asText(null),
                tags,
                BuildStatus.valueOf(n.path("status").asText()),
                Instant.parse(n.path("startedAt").asText()),
                n.path("durationMillis").asLong(),
                n.path("stepsTotal").asInt(),
                n.path("stepsCached").asInt(),
                n.path("imageSizeBytes").asLong(),
                Backend.valueOf(n.path("backend").asText()),
                n.path("error").isNull() ? null : n.path("error").asText(null));
    }
}
