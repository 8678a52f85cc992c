package io.ecgsentinel.core.labels;

import static org.assertj.core.api.Assertions.assertThat;

import io.ecgsentinel.core.config.DataDirs;
import io.ecgsentinel.core.labels.RhythmEpisodes.Episode;
import io.ecgsentinel.core.wfdb.Annotation;
import io.ecgsentinel.core.wfdb.AnnotationCodes;
import io.ecgsentinel.core.wfdb.AnnotationReader;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

class RhythmEpisodesTest {

    @Test
    void rhythmsLastUntilTheNextChangeOrTheEnd() {
        List<Annotation> anns =
                List.of(
                        new Annotation(5, AnnotationCodes.NORMAL, 0, 0, 0, ""),
                        new Annotation(10, AnnotationCodes.RHYTHM, 0, 0, 0, "(N"),
                        new Annotation(20, AnnotationCodes.NORMAL, 0, 0, 0, ""),
                        new Annotation(50, AnnotationCodes.RHYTHM, 0, 0, 0, "(AFIB"),
                        new Annotation(
                                50,
                                AnnotationCodes.RHYTHM,
                                0,
                                0,
                                0,
                                "(AFL"), // same sample: first one is empty
                        new Annotation(80, AnnotationCodes.RHYTHM, 0, 0, 0, "(N"));
        List<Episode> e = RhythmEpisodes.of(anns, 100);
        assertThat(e)
                .containsExactly(
                        new Episode("N", 10, 50),
                        new Episode("AFL", 50, 80),
                        new Episode("N", 80, 100));
        assertThat(RhythmEpisodes.only(e, "N"))
                .extracting(Episode::length)
                .containsExactly(40L, 20L);
    }

    @Test
    void mitdb201HasAfibEpisodesCoveringPartOfTheRecord() throws IOException {
        List<Annotation> anns =
                AnnotationReader.read(DataDirs.resolve("mitdb").resolve("201"), "atr");
        List<Episode> afib = RhythmEpisodes.only(RhythmEpisodes.of(anns, 650_000), "AFIB");
        assertThat(afib).isNotEmpty().allSatisfy(ep -> assertThat(ep.length()).isPositive());
        long total = afib.stream().mapToLong(Episode::length).sum();
        assertThat(total).isBetween(1L, 649_999L);
        long rhythmChanges =
                anns.stream().filter(a -> a.isRhythmChange() && a.rhythm().equals("AFIB")).count();
        assertThat((long) afib.size()).isEqualTo(rhythmChanges);
    }
}
