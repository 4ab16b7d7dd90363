package io.jenkins.plugins.containerbuild.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jenkins.plugins.containerbuild.engine.api.BatchOptions;
import io.jenkins.plugins.containerbuild.engine.api.BatchOutcome;
import io.jenkins.plugins.containerbuild.engine.api.BuildContext;
import io.jenkins.plugins.containerbuild.engine.api.BuildEngine;
import io.jenkins.plugins.containerbuild.engine.api.BuildSpec;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.progress.PlainProgressPrinter;
import io.jenkins.plugins.containerbuild.engine.steps.BatchRequest;
import io.jenkins.plugins.containerbuild.engine.steps.BuildSpecArguments;
import io.jenkins.plugins.containerbuild.engine.steps.ResolvedCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code container-build batch FILE}: several builds from a YAML or JSON file, run in parallel.
 * The file is a list of builds, or a map with {@code builds}, {@code maxParallel} and
 * {@code failFast}; each build has the fields of the {@code containerBuild} step, with paths
 * relative to the file's directory.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, description = "Run several builds from a YAML or JSON file.")
final class BatchCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engineOptions;

    @Parameters(index = "0", paramLabel = "FILE", description = "YAML or JSON list of builds")
    Path file;

    @Option(names = "--max-parallel", description = "Builds run at once (default: the file's maxParallel, else 4)")
    Integer maxParallel;

    @Option(names = "--fail-fast", description = "The first failure cancels the other builds")
    boolean failFast;

    @Override
    public Integer call() throws IOException {
        BatchRequest request = BatchRequest.fromArguments(read());
        Path base = file.toAbsolutePath().getParent();
        List<BuildContext> contexts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (BuildSpec r : request.builds()) {
            contexts.add(BuildSpecArguments.toContext(r, base, ResolvedCredentials.none()));
            names.add(r.displayName());
        }
        BatchOptions options = BatchOptions.builder()
                .maxParallel(maxParallel != null ? maxParallel : request.maxParallel())
                .failFast(failFast || request.failFast())
                .build();
        int width = names.stream().mapToInt(String::length).max().orElse(1);
        List<BatchOutcome> outcomes;
        try (BuildEngine engine = engineOptions.engine()) {
            // One combined view: every line says which build it belongs to.
            outcomes = engine.buildBatchIndexed(
                    contexts,
                    options,
                    (i, p) -> System.out.println(
                            String.format("%-" + width + "s | %s", names.get(i), PlainProgressPrinter.format(p))));
        }
        System.out.println();
        boolean allOk = true;
        for (BatchOutcome o : outcomes) {
            String name = names.get(o.index());
            if (o.status() == BuildStatus.SUCCESS) {
                System.out.println(name + ": SUCCESS " + o.result().imageId() + " ("
                        + BuildCommand.oneLine(o.result().metrics()) + ")");
            } else {
                allOk = false;
                System.out.println(name + ": " + o.status() + " " + firstLine(o.error()));
            }
        }
        return allOk ? 0 : Main.EXIT_FAILED;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private Map<String, Object> read() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("FILE: " + file + " does not exist or is not a file");
        }
        Object parsed;
        try {
            parsed = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("FILE: " + file + " is not valid YAML or JSON: " + e.getMessage(), e);
        }
        if (parsed instanceof List<?> list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("builds", list);
            return m;
        }
        if (parsed instanceof Map<?, ?> map) {
            Map<String, Object> m = new LinkedHashMap<>();
            map.forEach((k, v) -> m.put(String.valueOf(k), v));
            return m;
        }
        throw new IllegalArgumentException("FILE: " + file + " must hold a list of builds or a map with 'builds'");
    }
}
