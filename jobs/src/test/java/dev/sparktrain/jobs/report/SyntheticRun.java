package dev.sparktrain.jobs.report;

import dev.sparktrain.driver.listen.EpochMetrics;
import dev.sparktrain.driver.listen.MetricsJsonlListener;
import dev.sparktrain.driver.listen.RoundMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.Random;

/** A made-up run directory written through the real {@link MetricsJsonlListener}, for report tests. */
final class SyntheticRun {

    static final String[] CLASSES = {"T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot"};

    private SyntheticRun() {
    }

    /** {@code epochs} epochs of {@code rounds} rounds; test figures only when {@code withTest}. */
    static void writeMetrics(Path runDir, int epochs, int rounds, boolean withTest) {
        Random random = new Random(42);
        try (MetricsJsonlListener listener = MetricsJsonlListener.inRunDir(runDir)) {
            for (int e = 1; e <= epochs; e++) {
                double lossSum = 0;
                for (int r = 0; r < rounds; r++) {
                    double t = e - 1 + (r + 1.0) / rounds;
                    double loss = 2.3 * Math.exp(-t) + 0.3 + 0.05 * random.nextGaussian();
                    lossSum += loss;
                    double update = 0.5 / (1 + t) + 0.02 * random.nextDouble();
                    double compute = 0.12 + 0.03 * random.nextDouble();
                    listener.onRound(new RoundMetrics(e, r, rounds, 256, loss, 1e-3 * Math.cos(t / epochs),
                            5 * update, update, update / 40, compute + 0.08, 0.01, compute + 0.06, 0.005, compute,
                            0.055, 0.01, 4 * 235_146, 8 * 235_146));
                }
                double trainLoss = lossSum / rounds;
                listener.onEpoch(new EpochMetrics(e, epochs, rounds, 256L * rounds, trainLoss, 0.21 * rounds,
                        1.5 + 0.1 * e, withTest ? OptionalDouble.of(trainLoss + 0.05) : OptionalDouble.empty(),
                        withTest ? OptionalDouble.of(0.6 + 0.05 * e) : OptionalDouble.empty()));
            }
        }
    }

    /** A 10-class matrix with a strong diagonal and some Shirt/T-shirt confusion, with class names. */
    static void writeConfusion(Path runDir) throws IOException {
        StringBuilder json = new StringBuilder("{\"classes\": [");
        for (int c = 0; c < CLASSES.length; c++) {
            json.append(c > 0 ? ", " : "").append('"').append(CLASSES[c]).append('"');
        }
        json.append("],\n \"matrix\": [");
        for (int a = 0; a < CLASSES.length; a++) {
            json.append(a > 0 ? ",\n  " : "").append('[');
            for (int p = 0; p < CLASSES.length; p++) {
                long count = a == p ? 850 + 10 * a : (a == 6 && p == 0 ? 120 : (a + p) % 4 * 3);
                json.append(p > 0 ? ", " : "").append(count);
            }
            json.append(']');
        }
        json.append("]}\n");
        Files.writeString(runDir.resolve(ConfusionMatrix.FILE_NAME), json);
    }
}
