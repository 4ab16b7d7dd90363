package io.jenkins.plugins.containerbuild.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.containerbuild.engine.api.Backend;
import io.jenkins.plugins.containerbuild.engine.api.BuildMetrics;
import io.jenkins.plugins.containerbuild.engine.api.BuildResult;
import io.jenkins.plugins.containerbuild.engine.api.BuildStatus;
import io.jenkins.plugins.containerbuild.engine.api.StepTiming;
import io.jenkins.plugins.containerbuild.engine.report.GateReport.Outcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class RenderingTest {
    private static final String EVIL = "<script>alert('x')</script>";

    @Test
    void recordKeepsTheMetrics() throws Exception {
        BuildRecord r = Records.app();
        assertThat(r.getTags()).containsExactly("127.0.0.1:5000/team/app:1.0", "127.0.0.1:5000/team/app:latest");
        assertThat(r.getDigest()).isEqualTo(Records.DIGEST);
        assertThat(r.getPlatforms()).containsExactly("linux/amd64", "linux/arm64");
        assertThat(r.getStatus()).isEqualTo(BuildStatus.SUCCESS);
        assertThat(r.getDurationMillis()).isEqualTo(4200);
        assertThat(r.getStepsTotal()).isEqualTo(4);
        assertThat(r.getStepsCached()).isEqualTo(3);
        assertThat(r.getCacheHitRate()).isEqualTo(0.75);
        assertThat(r.getLayers()).isEqualTo(5);
        assertThat(r.getImageSizeBytes()).isEqualTo(12_300_000);
        assertThat(r.getContextBytes()).isEqualTo(48_000);
        assertThat(r.getBackend()).isEqualTo("BUILDKIT");
        assertThat(r.getStartedAt()).isEqualTo(Records.START.toEpochMilli());
        assertThat(r.getSteps())
                .extracting(StepRecord::getName, StepRecord::getDurationMillis, StepRecord::isCached)
                .contains(org.assertj.core.groups.Tuple.tuple("[3/4] RUN make -C /app", 3100L, false));
        BuildRecord f = Records.failed("w:1", "exit code 1");
        assertThat(f.getImageId()).isNull();
        assertThat(f.getError()).isEqualTo("exit code 1");
        assertThat(f.getDisplayName()).isEqualTo("worker");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(r);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            BuildRecord back = (BuildRecord) in.readObject();
            assertThat(back.getSteps()).hasSize(4);
            assertThat(back.getCacheHitRate()).isEqualTo(0.75);
            assertThat(back.getTags()).isEqualTo(r.getTags());
        }
    }

    @Test
    void unitsReadLikeAPersonWritesThem() {
        assertThat(Units.bytes(512)).isEqualTo("512 B");
        assertThat(Units.bytes(12_300_000)).isEqualTo("12.3 MB");
        assertThat(Units.bytes(999_999)).isEqualTo("1.0 MB");
        assertThat(Units.bytes(2_500_000_000L)).isEqualTo("2.5 GB");
        assertThat(Units.duration(250)).isEqualTo("250 ms");
        assertThat(Units.duration(4200)).isEqualTo("4.2 s");
        assertThat(Units.duration(125_000)).isEqualTo("2 min 05 s");
        assertThat(Units.duration(3_720_000)).isEqualTo("1 h 02 min");
        assertThat(Units.percent(0.75)).isEqualTo("75%");
        assertThat(Units.percent(2 / 3.0)).isEqualTo("66.7%");
        assertThat(Units.percent(0)).isEqualTo("0%");
        assertThat(Units.shortId(Records.DIGEST)).isEqualTo("sha256:ab12ab12ab12");
    }

    @Test
    void summaryShowsOneRowPerImageWithHumanUnits() throws Exception {
        GateReport gates = new GateReport(
                Outcome.UNSTABLE,
                List.of("cache hit rate 33% is below 50%"),
                List.of("cache hit rate 33% is below 50%", "size +2% within 10%"));
        String html = SummaryHtml.summary(
                List.of(Records.app(), Records.failed("team/worker:1", "RUN false: exit 1")), gates);
        Document doc = parse(html);
        NodeList rows = doc.getElementsByTagName("tr");
        assertThat(rows.getLength()).isEqualTo(3);
        String app = text(rows.item(1));
        assertThat(app)
                .contains(
                        "127.0.0.1:5000/team/app:1.0",
                        "127.0.0.1:5000/team/app:latest",
                        "sha256:ab12ab12ab12",
                        "linux/amd64, linux/arm64",
                        "12.3 MB",
                        "5",
                        "75% (3 of 4 steps)",
                        "4.2 s",
                        "SUCCESS");
        String worker = text(rows.item(2));
        assertThat(worker).contains("team/worker:1", "FAILED", "RUN false: exit 1", "1.5 s", "50% (1 of 2 steps)");
        assertThat(html)
                .contains("title=\"" + Records.DIGEST + "\"")
                .contains("Quality gates: UNSTABLE")
                .contains("<li class=\"cb-gate-violated\">cache hit rate 33% is below 50%</li>")
                .contains("<li class=\"cb-gate-ok\">size +2% within 10%</li>");
        assertThat(SummaryHtml.summary(List.of(), null))
                .contains("No container images were built.")
                .doesNotContain("Quality gates");
    }

    @Test
    void everyValueIsEscaped() throws Exception {
        BuildMetrics m = BuildMetrics.builder()
                .start(Records.START)
                .end(Records.START.plusSeconds(1))
                .status(BuildStatus.FAILED)
                .backend(Backend.BUILDKIT)
                .error("failed: " + EVIL)
                .steps(List.of(new StepTiming("RUN echo " + EVIL + " & \"quoted\"", Duration.ofMillis(10), false)))
                .build();
        BuildRecord evil = BuildRecord.failed("n" + EVIL, List.of(EVIL), m);
        BuildRecord evilDigest = BuildRecord.of(
                new BuildResult(
                        "b",
                        "sha256:x\"><img src=x>",
                        List.of(EVIL),
                        m.toBuilder().status(BuildStatus.SUCCESS).error(null).build()),
                "\" onmouseover=\"alert(1)",
                List.of(EVIL));
        GateReport gates = new GateReport(Outcome.FAIL, List.of(EVIL), List.of(EVIL));
        String all = SummaryHtml.summary(List.of(evil, evilDigest), gates)
                + SummaryHtml.detail(evil)
                + SummaryHtml.page(EVIL, "");
        assertThat(all).doesNotContain("<script", "<img", "\" onmouseover", "'x'");
        assertThat(all).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "&amp; &quot;quoted&quot;");
        parse(SummaryHtml.summary(List.of(evil, evilDigest), gates));
        parse(SummaryHtml.detail(evil));
    }

    @Test
    void detailShowsEveryStep() throws Exception {
        String html = SummaryHtml.detail(Records.app());
        Document doc = parse(html);
        NodeList rows = doc.getElementsByTagName("tr");
        assertThat(rows.getLength()).isEqualTo(5);
        assertThat(text(rows.item(3))).contains("3", "[3/4] RUN make -C /app", "3.1 s", "built");
        assertThat(text(rows.item(1))).contains("[1/4] FROM local/busybox:latest", "cached");
        assertThat(text(doc.getDocumentElement()))
                .contains(
                        "SUCCESS in 4.2 s with BUILDKIT",
                        "3 of 4 steps from cache (75%)",
                        "context 48.0 kB",
                        "image 12.3 MB",
                        "5 layers");
    }

    @Test
    void trendIsWellFormedSvgWithBothSeries() throws Exception {
        List<TrendPoint> points = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            points.add(new TrendPoint("#" + i, 20_000 + i * 5_000L, Math.min(1, i / 12.0)));
        }
        points.set(3, new TrendPoint("#4 " + EVIL, 30_000, 0.25));
        String svg = TrendSvg.render(points, 640, 240);
        Document doc = parse(svg);
        Element root = doc.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(root.getAttribute("width")).isEqualTo("640");
        NodeList polylines = doc.getElementsByTagNameNS("*", "polyline");
        assertThat(polylines.getLength()).isEqualTo(2);
        assertThat(polylines
                        .item(0)
                        .getAttributes()
                        .getNamedItem("points")
                        .getNodeValue()
                        .split(" "))
                .hasSize(12);
        assertThat(doc.getElementsByTagNameNS("*", "circle").getLength()).isEqualTo(24);
        String texts = text(root);
        assertThat(texts)
                .contains(
                        "Build time",
                        "Cache hit rate",
                        "0%",
                        "50%",
                        "100%",
                        "#12",
                        "#4 " + EVIL + ": cache hit rate 25%",
                        "#12: build time 1 min 20 s");
        // 80 s at most: the left axis ends at 80 s in steps of 20; labels count back from the newest.
        assertThat(texts).contains("0 s 0% 20 s 25% 40 s 50% 60 s 75% 80 s 100%", "#2 #4 " + EVIL + " #6 #8 #10 #12 ");
        assertThat(svg).doesNotContain("<script");
    }

    @Test
    void trendHandlesZeroAndOnePoint() throws Exception {
        Document empty = parse(TrendSvg.render(List.of(), 300, 150));
        assertThat(text(empty.getDocumentElement())).contains("No builds to show yet");
        assertThat(empty.getElementsByTagNameNS("*", "circle").getLength()).isZero();
        Document one = parse(TrendSvg.render(List.of(TrendPoint.of("#7", List.of(Records.app()))), 300, 150));
        assertThat(one.getElementsByTagNameNS("*", "polyline").getLength()).isZero();
        assertThat(one.getElementsByTagNameNS("*", "circle").getLength()).isEqualTo(2);
        assertThat(text(one.getDocumentElement())).contains("#7: build time 4.2 s", "#7: cache hit rate 75%");
        assertThatThrownBy(() -> TrendSvg.render(List.of(), 100, 100)).hasMessageContaining("at least 200x120");
        assertThat(TrendPoint.of("#1", List.of(Records.app(), Records.failed("w:1", "x"))))
                .isEqualTo(new TrendPoint("#1", 5700, 4 / 6.0));
    }

    @Test
    void longTrendsThinOutTheirLabels() throws Exception {
        List<TrendPoint> points = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            points.add(new TrendPoint("#" + i, i * 1000L, 0.5));
        }
        Document doc = parse(TrendSvg.render(points, 400, 200));
        NodeList groups = doc.getElementsByTagNameNS("*", "g");
        int labels = 0;
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            if (g.getAttribute("class").equals("cb-trend-labels")) {
                labels = g.getElementsByTagNameNS("*", "text").getLength();
            }
        }
        assertThat(labels).isBetween(2, 8);
        assertThat(text(doc.getDocumentElement())).contains("min");
    }

    @Test
    void pageWrapsFragments() throws Exception {
        String page = SummaryHtml.page("Images", "<p>one</p>", "<p>two</p>");
        assertThat(page)
                .startsWith("<!DOCTYPE html>")
                .contains("<title>Images</title>", "<p>one</p><p>two</p>", SummaryHtml.STYLE);
    }

    /** Parses a fragment as XML: proves it is well-formed (the HTML here is written as XHTML-compatible). */
    static Document parse(String markup) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        String xml = markup.startsWith("<svg") ? markup : "<root>" + markup.replace("<br>", "<br/>") + "</root>";
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static String text(org.w3c.dom.Node n) {
        return n.getTextContent().replaceAll("\\s+", " ");
    }

    @Test
    void summaryNamesTheCacheImportedAndExportedAndTheProvenance() throws Exception {
        String provenance = "sha256:" + "ef56".repeat(16);
        String cacheManifest = "sha256:" + "9a9a".repeat(16);
        BuildMetrics m = BuildMetrics.builder()
                .start(Records.START)
                .end(Records.START.plusSeconds(3))
                .status(BuildStatus.SUCCESS)
                .backend(Backend.BUILDKIT)
                .cacheImports(List.of("127.0.0.1:5000/team/app:cache", "type=local,src=/tmp/<cache>"))
                .cacheExports(List.of("type=registry,ref=127.0.0.1:5000/team/app:cache,mode=max"))
                .cacheManifest(cacheManifest)
                .attestationManifests(List.of(provenance))
                .build();
        BuildRecord r = BuildRecord.of(
                new BuildResult("b1", Records.IMAGE_ID, List.of("127.0.0.1:5000/team/app:1"), m),
                Records.DIGEST,
                List.of());
        // The fields survive Java serialization (Jenkins keeps records in the run's build.xml through XStream).
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        }
        BuildRecord back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (BuildRecord) in.readObject();
        }
        assertThat(back.getAttestationManifests()).containsExactly(provenance);
        String html = SummaryHtml.summary(List.of(back), null);
        assertThat(html)
                .contains("<div class=\"cb-cache-from\">from <code>127.0.0.1:5000/team/app:cache</code></div>")
                .contains("from <code>type=local,src=/tmp/&lt;cache&gt;</code>")
                .contains("to <code>type=registry,ref=127.0.0.1:5000/team/app:cache,mode=max</code>")
                .contains("title=\"cache manifest " + cacheManifest + "\"")
                .contains("<div class=\"cb-provenance\">provenance <code title=\"" + provenance + "\">");
        assertThat(SummaryHtml.summary(List.of(Records.app()), null))
                .doesNotContain("cb-provenance")
                .doesNotContain("cb-cache-from");
    }
}
