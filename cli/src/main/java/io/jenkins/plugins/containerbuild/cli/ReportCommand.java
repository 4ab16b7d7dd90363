package io.jenkins.plugins.containerbuild.cli;

import io.jenkins.plugins.containerbuild.engine.report.BuildRecord;
import io.jenkins.plugins.containerbuild.engine.report.MetadataFiles;
import io.jenkins.plugins.containerbuild.engine.report.SummaryHtml;
import io.jenkins.plugins.containerbuild.engine.report.TrendPoint;
import io.jenkins.plugins.containerbuild.engine.report.TrendSvg;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code container-build report}: an HTML page (summary, per-step detail, trend) from metadata files. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = "Render metadata files (from build --metadata-file) as an HTML report with a trend.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "METADATA", arity = "1..*", description = "Metadata files, oldest first")
    List<Path> files;

    @Option(
            names = {"-o", "--output"},
            required = true,
            description = "The HTML file to write")
    Path output;

    @Override
    public Integer call() throws IOException {
        List<BuildRecord> records = new ArrayList<>();
        List<TrendPoint> trend = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException("METADATA: " + f + " does not exist or is not a file");
            }
            BuildRecord r = MetadataFiles.read(f);
            records.add(r);
            trend.add(TrendPoint.of(r.getDisplayName(), List.of(r)));
        }
        List<String> parts = new ArrayList<>();
        parts.add(SummaryHtml.summary(records, null));
        parts.add(TrendSvg.render(trend, 640, 240));
        records.forEach(r -> parts.add(SummaryHtml.detail(r)));
        Files.writeString(
                output, SummaryHtml.page("Container builds", parts.toArray(String[]::new)), StandardCharsets.UTF_8);
        System.out.println("wrote " + output + " (" + records.size() + " builds)");
        return 0;
    }
}
