package io.jenkins.plugins.containerbuild.engine.progress;

import io.jenkins.plugins.containerbuild.engine.api.BuildListener;
import io.jenkins.plugins.containerbuild.engine.api.BuildProgress;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A live view for terminals: one line per step with its state, redrawn in place, and the last
 * log line of the running step under it.
 */
public final class TtyProgressRenderer implements BuildListener {
    private static final String CLEAR_LINE = "\u001b[2K";
    private final PrintStream out;
    private final int width;
    private final Map<String, String> states = new LinkedHashMap<>();
    private String lastLog = "";
    private int drawnLines;

    public TtyProgressRenderer(PrintStream out, int width) {
        this.out = out;
        this.width = Math.max(40, width);
    }

    @Override
    public synchronized void onProgress(BuildProgress p) {
        if (p.kind() == BuildProgress.Kind.INFO) {
            states.put("info:" + p.message(), p.message());
        } else if (p.kind() == BuildProgress.Kind.LOG) {
            lastLog = p.message();
        } else if (p.step() > 0) {
            String state = switch (p.kind()) {
                case STEP_STARTED -> "...";
                case STEP_CACHED -> "CACHED";
                case STEP_DONE -> p.message();
                case STEP_FAILED -> "ERROR";
                default -> "";
            };
            states.put(p.vertexName(), String.format("[%3d%%] %s  %s", p.percent(), p.vertexName(), state));
        }
        redraw();
    }

    private void redraw() {
        StringBuilder sb = new StringBuilder();
        if (drawnLines > 0) {
            sb.append("\u001b[").append(drawnLines).append('A');
        }
        List<String> lines = new ArrayList<>(states.values());
        if (!lastLog.isEmpty()) {
            lines.add("  | " + lastLog);
        }
        for (String l : lines) {
            sb.append('\r')
                    .append(CLEAR_LINE)
                    .append(l.length() > width ? l.substring(0, width - 1) : l)
                    .append('\n');
        }
        drawnLines = lines.size();
        out.print(sb);
        out.flush();
    }
}
