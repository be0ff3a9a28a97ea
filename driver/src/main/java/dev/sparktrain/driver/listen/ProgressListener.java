package dev.sparktrain.driver.listen;

import java.io.Closeable;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of the rounds within an epoch. On an interactive terminal it draws a live bar (the
 * {@code progressbar} library handles width, redraw and ETA) with the mean loss and samples/s so far; anywhere
 * else (CI, spark-submit logs, files) carriage-return redraws would make a mess, so it prints one plain line
 * each time another tenth of the epoch is done. Epoch summaries are {@link ConsoleListener}'s job.
 */
public final class ProgressListener implements TrainingListener, Closeable {

    private final PrintStream out;
    private final boolean interactive;

    private int epoch = -1;
    private int lastTenth;
    private double lossSum;
    private long samples;
    private double seconds;
    private ProgressBar bar;

    /** Writes to {@code out}; {@code interactive} chooses the live bar over plain lines. */
    public ProgressListener(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** Standard output, with a live bar only when it is an interactive terminal. */
    public static ProgressListener forStdout() {
        return new ProgressListener(System.out, System.console() != null);
    }

    @Override
    public void onRound(RoundMetrics m) {
        if (m.epoch() != epoch) {
            startEpoch(m.epoch());
        }
        lossSum += m.loss() * m.samples();
        samples += m.samples();
        seconds += m.seconds();
        int done = m.round() + 1;
        if (interactive) {
            showBar(m, done);
        } else {
            int tenth = (int) ((long) done * 10 / m.rounds());
            if (tenth > lastTenth) {
                lastTenth = tenth;
                out.println(String.format(Locale.ROOT, "epoch %d  round %d/%d (%d%%)  %s", m.epoch(), done,
                        m.rounds(), 100L * done / m.rounds(), summary()));
                out.flush();
            }
        }
    }

    @Override
    public void onEpoch(EpochMetrics metrics) {
        closeBar();
    }

    /** Ends a live bar still on screen (a run stopped mid-epoch). */
    @Override
    public void close() {
        closeBar();
    }

    private void showBar(RoundMetrics m, int done) {
        if (bar == null) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d", m.epoch()))
                    .setInitialMax(m.rounds())
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" rounds", 1)
                    .setConsumer(new ConsoleProgressBarConsumer(out))
                    .build();
        }
        bar.stepTo(done);
        bar.setExtraMessage(summary());
    }

    private String summary() {
        return String.format(Locale.ROOT, "loss %.4f  %.0f samples/s so far", samples > 0 ? lossSum / samples : Double.NaN,
                seconds > 0 ? samples / seconds : 0.0);
    }

    private void startEpoch(int newEpoch) {
        closeBar();
        epoch = newEpoch;
        lastTenth = 0;
        lossSum = 0;
        samples = 0;
        seconds = 0;
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
