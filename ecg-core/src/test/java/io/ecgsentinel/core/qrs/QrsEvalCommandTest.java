package io.ecgsentinel.core.qrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.cli.EcgCli;
import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.qrs.QrsEvaluation.RecordResult;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./ecg qrs-eval} through the real launcher command line. */
class QrsEvalCommandTest {

    @TempDir Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = EcgCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void isDiscoveredAndAnswersHelp() {
        Run r = run("qrs-eval", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--data", "--records", "--include-paced", "--out", "--lead");
        assertThat(run("--help").out()).contains("qrs-eval");
    }

    @Test
    void printsATableAndTheGrossLineAndWritesQrsFilesThatReadBack() throws IOException {
        Path mitdb = DataDirs.resolve("mitdb");
        Path out = tmp.resolve("beats");
        Run r = run("qrs-eval", "--data", mitdb.toString(), "--records", "112,220,102", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(lines.size() - 1)).matches("GROSS Se=\\d{1,3}\\.\\d\\d \\+P=\\d{1,3}\\.\\d\\d");
        assertThat(r.out()).contains("Paced records").containsPattern("(?m)^112\\s+2539\\s");
        // the paced record is listed but not counted: the total has 112 + 220 only
        assertThat(r.out()).containsPattern("(?m)^TOTAL\\s+4587\\s");

        for (String rec : List.of("112", "220", "102")) {
            Path qrs = out.resolve(rec + ".qrs");
            assertThat(qrs).exists();
            RecordResult direct = QrsEvaluation.evaluate(mitdb, rec, List.of(), QrsDetector.Settings.defaults());
            List<Annotation> back = AnnotationReader.read(qrs);
            assertThat(back.stream().mapToLong(Annotation::sample).toArray()).containsExactly(direct.beats());
            assertThat(back).allMatch(a -> a.symbol().equals("N"));
        }
    }

    @Test
    void includePacedCountsThePacedRecord() {
        Path mitdb = DataDirs.resolve("mitdb");
        Run r = run("qrs-eval", "--data", mitdb.toString(), "--records", "102,112", "--include-paced");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^TOTAL\\s+4726\\s");
    }

    @Test
    void leadSelectionUsesTheNamedLead() {
        Path mitdb = DataDirs.resolve("mitdb");
        Run r = run("qrs-eval", "--data", mitdb.toString(), "--records", "112,124", "--lead", "V1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("No lead named V1 in 124");
    }

    @Test
    void badOptionsNameTheOption() throws IOException {
        Path mitdb = DataDirs.resolve("mitdb");
        Run missing = run("qrs-eval", "--data", mitdb.toString(), "--records", "112,999");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--records").contains("999");

        Run noDir = run("qrs-eval", "--data", tmp.resolve("nope").toString());
        assertThat(noDir.code()).isEqualTo(2);
        assertThat(noDir.err()).contains("--data");

        Files.createDirectories(tmp.resolve("empty"));
        Run empty = run("qrs-eval", "--data", tmp.resolve("empty").toString());
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("--data").contains("no annotated record");

        Run lead = run("qrs-eval", "--data", mitdb.toString(), "--records", "112", "--lead", "XYZ");
        assertThat(lead.code()).isEqualTo(2);
        assertThat(lead.err()).contains("--lead").contains("XYZ");

        Run chunk = run("qrs-eval", "--data", mitdb.toString(), "--records", "112", "--chunk", "0");
        assertThat(chunk.code()).isEqualTo(2);
        assertThat(chunk.err()).contains("--chunk");

        Run unknown = run("qrs-eval", "--bogus");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--bogus");
    }
}
