package io.jenkins.plugins.containerbuild.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jenkins.plugins.containerbuild.engine.report.GateReport.Outcome;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders summary, detail and trend in a real browser (Debian's chromium, installed by
 * scripts/install-chromium.sh) and checks what the browser made of them: the text a person sees,
 * that an injected tag did not become markup, and that the trend's lines were painted.
 */
class BrowserRenderingTest {
    private static final int TIMEOUT_SECONDS = 90;
    private static final String INJECTED = "<script>window.injected=1</script>";
    private static Path chromium;

    @BeforeAll
    static void findChromium() {
        String env = System.getenv("CHROMIUM");
        Stream<Path> candidates = env != null
                ? Stream.of(Path.of(env))
                : Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of);
        chromium = candidates.filter(Files::isExecutable).findFirst().orElse(null);
    }

    private static void assumeChromium() {
        assumeTrue(
                chromium != null,
                "no chromium installed (run scripts/install-chromium.sh as root,"
                        + " or set CHROMIUM to the browser's path)");
    }

    /** A page as the CLI's report writes it, plus a probe script that reports what the browser rendered. */
    private static String page() {
        BuildRecord app = Records.app();
        BuildRecord evil = Records.failed("team/worker:1", "RUN make: " + INJECTED);
        GateReport gates = new GateReport(
                Outcome.UNSTABLE,
                List.of("team/app:1: cache hit rate 33.3% is below 50%"),
                List.of("team/app:1: cache hit rate 33.3% is below 50%"));
        List<TrendPoint> trend = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            trend.add(new TrendPoint("#" + i, i * 10_000L, i / 6.0));
        }
        String probe = """
                <pre id="probe"></pre>
                <script>
                  const q = (s) => document.querySelector(s);
                  const rows = [...document.querySelectorAll('.cb-images tbody tr')].map(r => r.innerText.replace(/\\s+/g, ' '));
                  const line = q('.cb-trend-duration polyline').getBBox();
                  const out = [
                    'rows=' + rows.length,
                    ...rows.map((r, i) => 'row' + i + '=' + r),
                    'gates=' + q('.cb-gates').innerText.replace(/\\s+/g, ' '),
                    'detail=' + q('.cb-detail-summary').innerText,
                    'steps=' + document.querySelectorAll('.cb-steps tbody tr').length,
                    'scripts=' + document.scripts.length,
                    'injected=' + (window.injected === 1),
                    'tableWidth=' + Math.round(q('.cb-images').getBoundingClientRect().width),
                    'lineWidth=' + Math.round(line.width),
                    'circles=' + document.querySelectorAll('svg circle').length,
                  ];
                  q('#probe').textContent = out.join('\\n');
                </script>
                """;
        return SummaryHtml.page(
                "Images of run #42",
                SummaryHtml.summary(List.of(app, evil), gates),
                SummaryHtml.detail(app),
                TrendSvg.render(trend, 600, 220),
                probe);
    }

    @Test
    void browserShowsTheNumbers(@TempDir Path tmp) throws Exception {
        assumeChromium();
        Path html = tmp.resolve("report.html");
        Files.writeString(html, page(), StandardCharsets.UTF_8);

        String dom = run(tmp, "--dump-dom", html.toUri().toString());
        Map<String, String> probe = probe(dom);

        assertThat(probe).containsEntry("rows", "2").containsEntry("steps", "4").containsEntry("circles", "12");
        assertThat(probe.get("row0"))
                .contains(
                        "127.0.0.1:5000/team/app:1.0",
                        "sha256:ab12ab12ab12",
                        "linux/amd64, linux/arm64",
                        "12.3 MB",
                        "75% (3 of 4 steps)",
                        "4.2 s",
                        "SUCCESS");
        assertThat(probe.get("row1")).contains("team/worker:1", "FAILED", "RUN make: " + INJECTED);
        assertThat(probe.get("gates")).contains("Quality gates: UNSTABLE", "cache hit rate 33.3% is below 50%");
        assertThat(probe.get("detail")).contains("3 of 4 steps from cache (75%)", "4.2 s", "12.3 MB");
        // Only the probe itself is a script: the injected tag stayed text.
        assertThat(probe).containsEntry("scripts", "1").containsEntry("injected", "false");
        assertThat(Integer.parseInt(probe.get("tableWidth"))).isGreaterThan(300);
        assertThat(Integer.parseInt(probe.get("lineWidth"))).isGreaterThan(300);
    }

    @Test
    void browserPaintsTheTrend(@TempDir Path tmp) throws Exception {
        assumeChromium();
        List<TrendPoint> trend = List.of(
                new TrendPoint("#1", 30_000, 0.2),
                new TrendPoint("#2", 10_000, 0.9),
                new TrendPoint("#3", 20_000, 0.6));
        Path svg = tmp.resolve("trend.svg");
        Files.writeString(svg, TrendSvg.render(trend, 600, 240), StandardCharsets.UTF_8);
        Path png = tmp.resolve("trend.png");

        run(tmp, "--screenshot=" + png, "--window-size=600,240", svg.toUri().toString());

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("screenshot").isNotNull();
        assertThat(pixelsNear(image, 0x1f6feb)).as("build time line pixels").isGreaterThan(200);
        assertThat(pixelsNear(image, 0x1a7f37)).as("cache hit rate line pixels").isGreaterThan(100);
    }

    private static int pixelsNear(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int d = Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff))
                        + Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff))
                        + Math.abs((p & 0xff) - (rgb & 0xff));
                if (d < 40) {
                    n++;
                }
            }
        }
        return n;
    }

    private static Map<String, String> probe(String dom) {
        Matcher m =
                Pattern.compile("<pre id=\"probe\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as("probe output in the dumped DOM:\n" + dom).isTrue();
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String line : unescape(m.group(1)).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    /** Runs headless chromium with its own profile in {@code tmp}; returns its standard output. */
    private static String run(Path tmp, String... args) throws IOException, InterruptedException {
        Path profile = Files.createDirectories(tmp.resolve("profile"));
        List<String> cmd = new ArrayList<>(List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path stdout = tmp.resolve("chromium.out");
        Path stderr = tmp.resolve("chromium.err");
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().put("HOME", profile.toString());
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(
                    "chromium did not finish within " + TIMEOUT_SECONDS + " s; stderr:\n" + Files.readString(stderr));
        }
        assertThat(p.exitValue())
                .as("chromium exit code; stderr:\n" + Files.readString(stderr))
                .isZero();
        return Files.readString(stdout);
    }
}
