package io.ecgsentinel.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.signal.EcgSignal;
import io.ecgsentinel.core.wfdb.WfdbRecord;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

class CsvRecordReaderTest {

    @TempDir Path dir;

    @Test
    void aWfdbRecordExportedWithATimeColumnReadsBackWithTheInferredRate() throws IOException {
        EcgSignal wfdb = EcgSignal.from(WfdbRecord.read(DataDirs.resolve("mitdb").resolve("101")));
        int n = 3600; // 10 s
        StringBuilder csv = new StringBuilder("time,MLII,V1\n");
        for (int i = 0; i < n; i++) {
            // times with 3 decimals, as most tools print them: not exact multiples of 1/360
            csv.append(
                    String.format(
                            Locale.ROOT,
                            "%.3f,%s,%s%n",
                            i / 360.0,
                            wfdb.lead(0)[i],
                            wfdb.lead(1)[i]));
        }
        Path file = dir.resolve("rec101.csv");
        Files.writeString(file, csv);

        EcgSignal s = CsvRecordReader.read(file, null);

        assertThat(s.name()).isEqualTo("rec101");
        assertThat(s.samplingFrequency()).isEqualTo(360.0);
        assertThat(s.leadNames()).containsExactly("MLII", "V1");
        assertThat(s.length()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(s.lead("MLII")[i]).isEqualTo(wfdb.lead(0)[i]);
            assertThat(s.lead("V1")[i]).isEqualTo(wfdb.lead(1)[i]);
        }
    }

    @Test
    void millisecondTimesAndAGivenRateAgree() throws IOException {
        EcgSignal s =
                read(
                        "time_ms,I,II\n0,0.1,0.2\n4,0.3,0.4\n8,0.5,0.6\n",
                        250.0,
                        CsvRecordReader.Units.MILLIVOLTS);
        assertThat(s.samplingFrequency()).isEqualTo(250.0);
        assertThat(s.lead("I")).containsExactly(0.1f, 0.3f, 0.5f);
        assertThat(s.lead("II")).containsExactly(0.2f, 0.4f, 0.6f);
        assertThat(
                        read("t (ms),I\n0,1\n2,1\n4,1\n", null, CsvRecordReader.Units.MILLIVOLTS)
                                .samplingFrequency())
                .isEqualTo(500.0);
    }

    @Test
    void withoutTimeColumnTheRateMustBeGiven() throws IOException {
        EcgSignal s = read("I,II\n1,2\n3,4\n", 500.0, CsvRecordReader.Units.MILLIVOLTS);
        assertThat(s.samplingFrequency()).isEqualTo(500.0);
        assertThatThrownBy(() -> read("I,II\n1,2\n", null, CsvRecordReader.Units.MILLIVOLTS))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("no sample rate");
    }

    @Test
    void microvoltsAreConvertedByOptionOrByColumnUnit() throws IOException {
        EcgSignal byOption = read("I,II\n1000,-500\n", 100.0, CsvRecordReader.Units.MICROVOLTS);
        assertThat(byOption.lead("I")).containsExactly(1.0f);
        assertThat(byOption.lead("II")).containsExactly(-0.5f);
        EcgSignal byColumn =
                read("I [uV],II (mV)\n1000,2\n", 100.0, CsvRecordReader.Units.MILLIVOLTS);
        assertThat(byColumn.leadNames()).containsExactly("I", "II");
        assertThat(byColumn.lead("I")).containsExactly(1.0f);
        assertThat(byColumn.lead("II")).containsExactly(2.0f);
    }

    @Test
    void physionetExportWithQuotedHeaderAndUnitsRowIsRead() throws IOException {
        String csv =
                "'Elapsed time','MLII','V5'\n"
                    + "'seconds','uV','mV'\n"
                    + "0.000,-145,-0.065\n"
                    + "0.004,-150,-0.070\n"
                    + "0.008,-155,-0.075\n";
        EcgSignal s = read(csv, null, CsvRecordReader.Units.MILLIVOLTS);
        assertThat(s.leadNames()).containsExactly("MLII", "V5");
        assertThat(s.lead("MLII")).containsExactly(-0.145f, -0.150f, -0.155f);
        assertThat(s.lead("V5")).containsExactly(-0.065f, -0.070f, -0.075f);
        assertThat(s.samplingFrequency()).isEqualTo(250.0);
    }

    @Test
    void aFractionalRateIsKeptWhenTheTimesAreMorePreciseThanTheRounding() throws IOException {
        StringBuilder csv = new StringBuilder("time,I\n");
        for (int i = 0; i < 3334; i++) {
            csv.append(String.format(Locale.ROOT, "%.3f,0%n", i * 0.003)); // 333.33 Hz for 10 s
        }
        assertThat(read(csv.toString(), null, CsvRecordReader.Units.MILLIVOLTS).samplingFrequency())
                .isCloseTo(1000 / 3.0, within(1e-6));
    }

    @Test
    void kaggleStyleSampleIndexColumnIsIgnored() throws IOException {
        EcgSignal s =
                read(
                        "\"'sample #'\",\"'MLII'\",\"'V5'\"\n0,995,1011\n1,995,1011\n",
                        360.0,
                        CsvRecordReader.Units.MILLIVOLTS);
        assertThat(s.leadNames()).containsExactly("MLII", "V5");
        assertThat(s.lead("II")).containsExactly(995f, 995f);
    }

    @Test
    void semicolonFilesMayUseDecimalCommasAndEmptyCellsAreGaps() throws IOException {
        EcgSignal s =
                read(
                        "# exported\ntime;I;II\n0,000;0,5;1\n0,002;;NaN\n0,004;-0,25;2\n",
                        null,
                        CsvRecordReader.Units.MILLIVOLTS);
        assertThat(s.samplingFrequency()).isEqualTo(500.0);
        assertThat(s.lead("I")[0]).isEqualTo(0.5f);
        assertThat(s.lead("I")[1]).isNaN();
        assertThat(s.lead("II")[1]).isNaN();
        assertThat(s.lead("I")[2]).isEqualTo(-0.25f);
    }

    @Test
    void clockTimesAreAccepted() throws IOException {
        EcgSignal s =
                read(
                        "time,I\n0:00.000,1\n0:00.004,2\n0:00.008,3\n",
                        null,
                        CsvRecordReader.Units.MILLIVOLTS);
        assertThat(s.samplingFrequency()).isEqualTo(250.0);
    }

    @Test
    void aBadCellIsReportedWithLineAndColumn() {
        assertThatThrownBy(
                        () ->
                                read(
                                        "time,I,V1\n0,1,2\n0.01,1,x2\n",
                                        null,
                                        CsvRecordReader.Units.MILLIVOLTS))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("'V1'")
                .hasMessageContaining("'x2'")
                .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(3));
        assertThatThrownBy(() -> read("I,II\n1,2\n\n1\n", 100.0, CsvRecordReader.Units.MILLIVOLTS))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("line 4")
                .hasMessageContaining("found 1");
    }

    @Test
    void timesMustIncreaseEvenlyAndAgreeWithAGivenRate() {
        assertThatThrownBy(
                        () ->
                                read(
                                        "time,I\n0,1\n0.01,1\n0.01,1\n",
                                        null,
                                        CsvRecordReader.Units.MILLIVOLTS))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("line 4")
                .hasMessageContaining("increase");
        assertThatThrownBy(
                        () ->
                                read(
                                        "time,I\n0,1\n0.01,1\n0.05,1\n0.06,1\n",
                                        null,
                                        CsvRecordReader.Units.MILLIVOLTS))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("not evenly spaced");
        assertThatThrownBy(
                        () ->
                                read(
                                        "time,I\n0,1\n0.01,1\n",
                                        250.0,
                                        CsvRecordReader.Units.MILLIVOLTS))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("100")
                .hasMessageContaining("250");
        assertThatThrownBy(
                        () ->
                                read(
                                        "time,I\n0,1\n4,1\n8,1\n",
                                        null,
                                        CsvRecordReader.Units.MILLIVOLTS))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("time_ms");
    }

    @Test
    void aHeaderIsRequired() {
        assertThatThrownBy(() -> read("1,2\n3,4\n", 100.0, CsvRecordReader.Units.MILLIVOLTS))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("header");
        assertThatThrownBy(() -> read("I,I\n1,2\n", 100.0, CsvRecordReader.Units.MILLIVOLTS))
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void readsFromAFileWithAByteOrderMark() throws IOException {
        Path f = dir.resolve("bom.csv");
        Files.writeString(f, "\uFEFFI,II\n1,2\n", StandardCharsets.UTF_8);
        assertThat(CsvRecordReader.read(f, 100.0).leadNames()).containsExactly("I", "II");
    }

    private static EcgSignal read(String csv, Double fs, CsvRecordReader.Units units)
            throws IOException {
        return CsvRecordReader.read(new StringReader(csv), "test", "test.csv", fs, units);
    }
}
