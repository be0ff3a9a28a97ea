package dev.sparktrain.jobs.cli;

import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.jobs.config.RunConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The machine-readable summary of a run:
 * {@code RESULT name=sparktrain model=.. mode=.. epochs=N sec_per_epoch=.. samples_per_sec=.. test_acc=.. test_loss=..}.
 * {@code epochs} is the run's last epoch, so a resumed run reports its total as an uninterrupted one does. Epoch time
 * is the median of this session's epochs after its first (which pays for caching and JIT warm-up), or of the first
 * alone.
 */
final class ResultLine {

    private ResultLine() {
    }

    static String format(RunConfig run, List<EpochMetrics> history) {
        List<EpochMetrics> timed = history.size() > 1 ? history.subList(1, history.size()) : history;
        double secPerEpoch = median(timed.stream().mapToDouble(EpochMetrics::trainSeconds).toArray());
        EpochMetrics last = history.get(history.size() - 1);
        double samplesPerSec = secPerEpoch > 0 ? last.samples() / secPerEpoch : 0;
        return String.format(Locale.ROOT,
                "RESULT name=sparktrain model=%s mode=%s epochs=%d sec_per_epoch=%.3f samples_per_sec=%.1f"
                        + " test_acc=%s test_loss=%s",
                run.name(), run.training().mode().configName(), last.epoch(), secPerEpoch, samplesPerSec,
                last.testAccuracy().isPresent() ? String.format(Locale.ROOT, "%.4f", last.testAccuracy().getAsDouble()) : "NA",
                last.testLoss().isPresent() ? String.format(Locale.ROOT, "%.4f", last.testLoss().getAsDouble()) : "NA");
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
