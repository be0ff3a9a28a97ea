package dev.sparktrain.jobs.bench.scale;

import java.util.ArrayList;
import java.util.List;

/**
 * The communication a round exposes on its critical path, as a function of the exchange, the worker count, the
 * model's size and the link rate:
 *
 * <pre>  comm = alpha + kappa * 8 V / rate + gamma * V</pre>
 *
 * where V is the bytes that must cross one link after another before the round can end ({@link #criticalBytes}):
 * alpha is the round's fixed cost (messages, scheduling, merging), kappa how close the links come to their nominal
 * rate (1: exactly), gamma the time per byte that does not depend on the link (serializing, copying, merging; all of
 * it on an unshaped link). Calibrated by least squares on measured runs, relative to each run's own communication
 * time, so that short and long rounds count alike. A round then takes compute + update + comm, and the scaling
 * efficiency is compute / round.
 */
public record CostModel(double alphaSeconds, double kappa, double gammaSecondsPerByte, int fittedRuns) {

    /** Bytes of one float32 parameter vector. */
    static double vectorBytes(long parameters) {
        return 4.0 * parameters;
    }

    /**
     * Bytes on the round's critical path, both phases (parameters out, results in). Star: the driver's one link
     * carries every worker's vector, N out and N in. Tree (workers in heap order under worker 0, each forwarding to
     * its children 2p+1 and 2p+2 and adding their results): the driver's link carries one vector each way, then at
     * every level down the path the busiest node's link carries one vector per child, one after the other.
     */
    public static double criticalBytes(String exchange, int workers, long parameters) {
        double s = vectorBytes(parameters);
        return switch (exchange) {
            case "star" -> 2.0 * workers * s;
            case "tree" -> {
                double perPhase = s; // driver -> worker 0
                for (int first = 0; 2 * first + 1 < workers; first = 2 * first + 1) {
                    perPhase += s * Math.min(2, workers - (2 * first + 1));
                }
                yield 2 * perPhase;
            }
            default -> throw new IllegalArgumentException("expected exchange star or tree, got '" + exchange + "'");
        };
    }

    public double commSeconds(String exchange, int workers, long parameters, double linkBitsPerSecond) {
        double v = criticalBytes(exchange, workers, parameters);
        return alphaSeconds + kappa * 8 * v / linkBitsPerSecond + gammaSecondsPerByte * v;
    }

    /** Compute over the predicted round time. */
    public double efficiency(double computeSeconds, double updateSeconds, String exchange, int workers,
                             long parameters, double linkBitsPerSecond) {
        return computeSeconds / (computeSeconds + updateSeconds
                + commSeconds(exchange, workers, parameters, linkBitsPerSecond));
    }

    /** The model's efficiency for a measured run, from that run's own compute and update times. */
    public double efficiency(ScaleRun run) {
        return efficiency(run.computeSeconds(), run.updateSeconds(), run.exchange(), run.workers(), run.parameters(),
                LinkRate.parse(run.link()));
    }

    /** The least compute per round for an efficiency of at least {@code target}, update and comm as predicted. */
    public double computeFor(double target, double updateSeconds, String exchange, int workers, long parameters,
                             double linkBitsPerSecond) {
        return target / (1 - target) * (updateSeconds + commSeconds(exchange, workers, parameters, linkBitsPerSecond));
    }

    /**
     * Least squares on the runs' communication times, weighted by 1 / comm^2 (relative errors). A term no run can
     * tell apart (every link unshaped: no kappa) keeps its neutral value; a coefficient that comes out negative,
     * which no link has, is held at zero and the others fitted again.
     */
    public static CostModel fit(List<ScaleRun> runs) {
        if (runs.size() < 2) {
            throw new IllegalArgumentException("the cost model needs at least 2 measured runs, got " + runs.size());
        }
        int n = runs.size();
        double[][] x = new double[n][3];
        double[] y = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            ScaleRun r = runs.get(i);
            double v = criticalBytes(r.exchange(), r.workers(), r.parameters());
            double rate = LinkRate.parse(r.link());
            x[i] = new double[] {1, Double.isInfinite(rate) ? 0 : 8 * v / rate, v};
            y[i] = r.commSeconds();
            double scale = Math.max(y[i], 1e-3);
            w[i] = 1 / (scale * scale);
        }
        double[] neutral = {0, 1, 0};
        boolean[] free = {true, true, true};
        for (int j = 0; j < 3; j++) {
            boolean seen = false;
            for (int i = 0; i < n; i++) {
                seen |= x[i][j] != 0;
            }
            free[j] = seen;
        }
        double[] coef = solve(x, y, w, free, neutral);
        for (int pass = 0; pass < 3; pass++) {
            boolean changed = false;
            for (int j = 0; j < 3; j++) {
                if (free[j] && coef[j] < 0) {
                    free[j] = false;
                    neutral[j] = 0;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            coef = solve(x, y, w, free, neutral);
        }
        return new CostModel(coef[0], coef[1], coef[2], n);
    }

    /** The model fitted on every run but {@code left}: its prediction of {@code left} is a check, not an echo. */
    public static CostModel fitWithout(List<ScaleRun> runs, ScaleRun left) {
        List<ScaleRun> others = new ArrayList<>(runs);
        others.remove(left);
        return fit(others);
    }

    /** Weighted normal equations over the free columns; the others fixed at their given values. */
    private static double[] solve(double[][] x, double[] y, double[] w, boolean[] free, double[] fixed) {
        int[] cols = java.util.stream.IntStream.range(0, 3).filter(j -> free[j]).toArray();
        int k = cols.length;
        double[] coef = fixed.clone();
        if (k == 0) {
            return coef;
        }
        double[][] a = new double[k][k + 1];
        for (int i = 0; i < x.length; i++) {
            double rest = y[i];
            for (int j = 0; j < 3; j++) {
                if (!free[j]) {
                    rest -= fixed[j] * x[i][j];
                }
            }
            for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) {
                    a[p][q] += w[i] * x[i][cols[p]] * x[i][cols[q]];
                }
                a[p][k] += w[i] * x[i][cols[p]] * rest;
            }
        }
        // Columns differ by orders of magnitude (1, seconds, bytes): scale each to a unit diagonal before eliminating.
        double[] d = new double[k];
        for (int p = 0; p < k; p++) {
            d[p] = Math.sqrt(a[p][p]);
        }
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < k; q++) {
                a[p][q] /= d[p] * d[q];
            }
            a[p][k] /= d[p];
            a[p][p] += 1e-12; // a tiny ridge: two columns that are proportional do not make the system singular
        }
        for (int p = 0; p < k; p++) {
            int pivot = p;
            for (int r = p + 1; r < k; r++) {
                if (Math.abs(a[r][p]) > Math.abs(a[pivot][p])) {
                    pivot = r;
                }
            }
            double[] t = a[p];
            a[p] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < k; r++) {
                if (r != p) {
                    double f = a[r][p] / a[p][p];
                    for (int c = p; c <= k; c++) {
                        a[r][c] -= f * a[p][c];
                    }
                }
            }
        }
        for (int p = 0; p < k; p++) {
            coef[cols[p]] = a[p][k] / a[p][p] / d[p];
        }
        return coef;
    }
}
