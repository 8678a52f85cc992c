package io.ecgsentinel.models.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ecgsentinel.core.cli.EcgCli;
import io.ecgsentinel.core.config.DataDirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands end to end with the committed default model on real records. */
class CommandsIT {

    private static Path mitdb() {
        Path d = DataDirs.resolve().resolve("mitdb");
        Assumptions.assumeTrue(Files.isRegularFile(d.resolve("119.hea")), "MIT-BIH data not available");
        return d;
    }

    @Test
    void evaluateEndsWithTheMachineReadableLinesAndWritesAnnotations(@TempDir Path out) throws Exception {
        Path d = mitdb();
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = EcgCli.commandLine().execute("evaluate", "--data", d.toString(), "--records", "119", "--out", out.toString());
        } finally {
            System.setOut(old);
        }
        assertThat(code).isZero();
        String[] lines = buf.toString(StandardCharsets.UTF_8).strip().split("\\R");
        assertThat(lines[lines.length - 2]).matches("VEB Se=\\d+\\.\\d\\d \\+P=\\d+\\.\\d\\d");
        assertThat(lines[lines.length - 1]).matches("SVEB Se=(\\d+\\.\\d\\d|NaN) \\+P=(\\d+\\.\\d\\d|NaN)");
        assertThat(String.join("\n", lines)).contains("DETECTED with ecg-core's QrsDetector");
        assertThat(out.resolve("119.cls")).exists();
        assertThat(out.resolve("roc.png")).exists();
        assertThat(out.resolve("pr.png")).exists();
        assertThat(out.resolve("confusion.png")).exists();
        assertThat(out.resolve("strip-119.png")).exists();
        List<io.ecgsentinel.core.wfdb.Annotation> cls = io.ecgsentinel.core.wfdb.AnnotationReader.read(out.resolve("119.cls"));
        assertThat(cls).hasSizeGreaterThan(1900);
        assertThat(cls).allMatch(a -> "NSVF".contains(a.symbol()));
        assertThat(cls.stream().filter(a -> a.symbol().equals("V")).count()).isGreaterThan(100); // 119 has 444 PVCs
    }

    /** A CinC 2021 directory (no beat annotations): labels from the headers' Dx codes, record-level AUC. */
    @Test
    void evaluateScoresHeaderLabelledRecords(@TempDir Path out) throws Exception {
        Path d = DataDirs.resolve().resolve("cinc2021");
        Assumptions.assumeTrue(Files.isRegularFile(d.resolve("E07500.hea")), "CinC 2021 data not available");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = EcgCli.commandLine().execute("evaluate", "--data", d.toString(), "--out", out.toString());
        } finally {
            System.setOut(old);
        }
        assertThat(code).isZero();
        String text = buf.toString(StandardCharsets.UTF_8);
        String[] lines = text.strip().split("\\R");
        assertThat(lines[lines.length - 1]).matches("AUC_NORM_VS_ABNORMAL=\\d\\.\\d{4}");
        // better than chance on records the model never saw (no CinC record is in its training data)
        assertThat(Double.parseDouble(lines[lines.length - 1].split("=")[1])).isGreaterThan(0.7);
        assertThat(text).contains("labelled by their headers");
        List<String> csv = Files.readAllLines(out.resolve("scores.csv"));
        assertThat(csv.get(0)).isEqualTo("record,score");
        assertThat(csv).hasSizeGreaterThan(10);
        assertThat(out.resolve("roc.png")).exists();
    }

    @Test
    void predictGivesAJsonVerdict() throws Exception {
        Path d = mitdb();
        StringWriter sw = new StringWriter();
        CommandLine cl = EcgCli.commandLine();
        cl.setOut(new PrintWriter(sw));
        int code = cl.execute("predict", "--input", d.resolve("119.hea").toString(), "--json");
        assertThat(code).isZero();
        JsonNode j = new ObjectMapper().readTree(sw.toString());
        assertThat(j.get("beats").asInt()).isBetween(1900, 2100);
        assertThat(j.get("heart_rate_bpm").asDouble()).isBetween(50.0, 90.0);
        assertThat(j.get("verdict").asText()).isEqualTo("ABNORMAL");
        assertThat(j.get("beat_classes").get("V").asInt()).isGreaterThan(100);
        assertThat(j.get("anomalous_segments").size()).isGreaterThan(0);
    }
}
