package io.ecgsentinel.models.data;

import io.ecgsentinel.core.dsp.PreprocessingConfig;
import io.ecgsentinel.core.labels.PtbXlMetadata;
import io.ecgsentinel.core.labels.PtbXlRecord;
import io.ecgsentinel.core.labels.RhythmEpisodes;
import io.ecgsentinel.core.signal.EcgSignal;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import io.ecgsentinel.core.wfdb.AnnotationReader;
import io.ecgsentinel.core.wfdb.WfdbRecord;
import io.ecgsentinel.models.ModelSpec;
import io.ecgsentinel.models.input.RecordPipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds labelled beat datasets from the data directory with the live path ({@link RecordPipeline}:
 * ecg-core's QRS detector and preprocessing chain). Beats are the DETECTED beats, labelled from the
 * reference annotations they match within 150 ms, so training sees the same beat positions
 * evaluation and the Flink job see.
 */
public final class DatasetBuilder {

    /** MIT-BIH records with paced beats (excluded, as in the AAMI recommendation). */
    public static final Set<String> MITDB_PACED = Set.of("102", "104", "107", "217");

    private final PreprocessingConfig config;

    public DatasetBuilder(PreprocessingConfig config) {
        this.config = config;
    }

    /** Records listed in a WFDB directory's RECORDS file (or every .hea). */
    public static List<String> recordNames(Path dir) throws IOException {
        Path list = dir.resolve("RECORDS");
        if (Files.isRegularFile(list)) {
            return Files.readAllLines(list).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".hea"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }

    /** MIT-BIH style record (beat annotations + optional rhythm changes) with detected-beat labels. */
    public LabeledRecord mitdb(Path dir, String name, String patient) {
        return annotated(dir, name, patient, "mitdb");
    }

    /** A WFDB record with MIT-format beat (and rhythm) annotations in {@code .atr}. */
    public LabeledRecord annotated(Path dir, String name, String patient, String source) {
        try {
            WfdbRecord r = WfdbRecord.read(dir.resolve(name + ".hea"));
            EcgSignal sig = EcgSignal.from(r);
            RecordPipeline.Processed p = RecordPipeline.process(sig, config);
            List<Annotation> ann = AnnotationReader.read(dir.resolve(name), "atr");
            int win = (int) Math.round(0.15 * sig.samplingFrequency());
            List<Annotation> refBeats = ann.stream().filter(Annotation::isBeat).toList();
            long[] refPos = refBeats.stream().mapToLong(Annotation::sample).toArray();
            byte[] cls = new byte[p.beats().length];
            Arrays.fill(cls, (byte) -1);
            for (int i = 0; i < p.beatsInput().length; i++) {
                int j = nearest(refPos, p.beatsInput()[i]);
                if (j >= 0 && Math.abs(refPos[j] - p.beatsInput()[i]) <= win) {
                    char a = AnnotationCodes.aamiClass(refBeats.get(j).code());
                    cls[i] = (byte) ModelSpec.BEAT_CLASSES.indexOf(String.valueOf(a)); // Q -> -1
                }
            }
            List<RhythmEpisodes.Episode> eps = RhythmEpisodes.of(ann, r.length());
            byte[] af = afLabels(p.beatsInput(), eps);
            return new LabeledRecord(source, patient, p, cls, 1f, af, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(name), e);
        }
    }

    /** AF label per beat from rhythm episodes: 1 in (AFIB, -1 in (AFL (ambiguous), 0 elsewhere; -1 before the first rhythm label. */
    static byte[] afLabels(long[] beats, List<RhythmEpisodes.Episode> eps) {
        byte[] af = new byte[beats.length];
        Arrays.fill(af, (byte) (eps.isEmpty() ? 0 : -1));
        for (int i = 0; i < beats.length; i++) {
            for (RhythmEpisodes.Episode e : eps) {
                if (beats[i] >= e.start() && beats[i] < e.end()) {
                    af[i] = (byte) (e.rhythm().startsWith("AFIB") ? 1 : e.rhythm().startsWith("AFL") ? -1 : 0);
                    break;
                }
            }
        }
        return af;
    }

    static int nearest(long[] sorted, long x) {
        int i = Arrays.binarySearch(sorted, x);
        if (i >= 0) return i;
        int ins = -i - 1;
        int best = -1;
        long bd = Long.MAX_VALUE;
        for (int k = ins - 1; k <= ins; k++) {
            if (k >= 0 && k < sorted.length && Math.abs(sorted[k] - x) < bd) {
                bd = Math.abs(sorted[k] - x);
                best = k;
            }
        }
        return best;
    }

    public List<LabeledRecord> mitdb(Path dir, Collection<String> names) {
        return names.parallelStream().map(n -> mitdb(dir, n, patientOfMitdb(n))).toList();
    }

    /** 201 and 202 are the same subject. */
    public static String patientOfMitdb(String record) {
        return record.equals("202") ? "mitdb:201" : "mitdb:" + record;
    }

    /** PTB-XL records (100 Hz) of the given folds, labelled per record. */
    public List<LabeledRecord> ptbxl(PtbXlMetadata meta, Collection<Integer> folds) {
        List<PtbXlRecord> recs = new ArrayList<>();
        for (int f : folds) recs.addAll(meta.fold(f));
        return recs.parallelStream().filter(meta::hasLowRate).map(r -> ptbxl(meta, r)).filter(Objects::nonNull).toList();
    }

    public LabeledRecord ptbxl(PtbXlMetadata meta, PtbXlRecord r) {
        try {
            EcgSignal sig = EcgSignal.read(meta.lowRateHeader(r));
            RecordPipeline.Processed p = RecordPipeline.process(sig, config);
            int n = p.beats().length;
            float[] sup = null;
            if (!r.superclasses().isEmpty()) {
                sup = new float[5];
                for (int k = 0; k < 5; k++) {
                    sup[k] = r.superclasses().contains(ModelSpec.SUPERCLASSES.get(k)) ? 1f : 0f;
                }
            }
            boolean afib = r.scpCodes().containsKey("AFIB");
            boolean aflt = r.scpCodes().containsKey("AFLT");
            byte[] af = new byte[n];
            Arrays.fill(af, (byte) (afib ? 1 : aflt ? -1 : 0));
            // Beat label N only where the record is clearly normal: NORM, sinus rhythm, no ectopy noted.
            boolean cleanNormal = sup != null && sup[0] == 1f && r.superclasses().size() == 1 && !afib && !aflt
                    && r.extraBeats().isBlank() && !r.scpCodes().containsKey("PVC") && !r.scpCodes().containsKey("PAC")
                    && r.pacemaker().isBlank();
            byte[] cls = new byte[n];
            Arrays.fill(cls, (byte) (cleanNormal ? 0 : -1));
            return new LabeledRecord("ptbxl", "ptbxl:" + r.patientId(), p, cls, 0.3f, af, sup);
        } catch (IOException | RuntimeException e) {
            System.err.println("skipping PTB-XL " + r.ecgId() + ": " + e.getMessage());
            return null;
        }
    }

    /** CPSC 2021 records: beat classes from the beat annotations, AF from the rhythm episodes. */
    public List<LabeledRecord> cpsc2021(Path dir) throws IOException {
        return recordNames(dir).parallelStream()
                .map(name -> annotated(dir, name, "cpsc2021:" + name.replaceAll("^data_(\\d+)_.*$", "$1"), "cpsc2021"))
                .toList();
    }
}
