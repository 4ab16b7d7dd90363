package io.jenkins.plugins.containerbuild.engine.progress;

import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import io.jenkins.plugins.containerbuild.engine.json.Json;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** One JSON object per event and line, for machines. */
public final class JsonProgressPrinter implements BuildListener {
    private final PrintStream out;

    public JsonProgressPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onProgress(BuildProgress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("buildId", p.buildId());
        m.put("kind", p.kind().name());
        m.put("step", p.step());
        m.put("totalSteps", p.totalSteps());
        m.put("percent", p.percent());
        m.put("vertex", p.vertexName());
        m.put("message", p.message());
        out.println(Json.write(m));
    }
}
