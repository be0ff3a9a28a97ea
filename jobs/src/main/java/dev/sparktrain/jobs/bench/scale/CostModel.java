package dev.sparktrain.jobs.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The communication a round exposes on its critical path, as a function of the exchange, the worker count, the
 * model's size and the link rate:
 *
 * <pre>  comm = alpha + kappa(link) * 8 V / rate + gamma * V</pre>
 *
 * where V is the bytes that must cross one link after another before the round can end ({@link #criticalBytes}):
 * alpha is the round's fixed cost (messages, scheduling, merging), kappa how close a kind of link comes to its
 * nominal rate (1: exactly; a token bucket lets its burst through at line speed, so short transfers beat the rate),
 * one per shaped link rate measured and 1 for any other, gamma the time per byte that does not depend on the link
 * (serializing, copying, merging; all of it on an unshaped link). Calibrated by least squares on measured runs,
 * relative to each run's own communication time, so that short and long rounds count alike. A round then takes
 * compute + update + comm, and the scaling efficiency is compute / round.
 */
public record CostModel(double alphaSeconds, Map<String, Double> kappaByLink, double gammaSecondsPerByte,
                        int fittedRuns) {

    public CostModel {
        kappaByLink = Map.copyOf(kappaByLink);
    }

    /** How close links of this rate come to it: fitted for the rates measured, 1 for others. */
    public double kappa(String link) {
        return kappaByLink.getOrDefault(link, 1.0);
    }

    /** Bytes of one float32 parameter vector. */
    static double vectorBytes(long parameters) {
        return 4.0 * parameters;
    }

    /**
     * Floats per piece of the tree's running sums: the channel's {@code TreeShape.PIECE_FLOATS}, which the driver
     * module keeps to itself.
     */
    static final int TREE_PIECE_FLOATS = 1 << 16;

    /**
     * Bytes on the round's critical path, both phases (parameters out, results in), as if one link after another
     * carried them. Star: the driver's one link carries every worker's vector, N out and N in. Tree, as the channel
     * runs it: the task (a vector) fans out through a binary tree, worker p passing it whole to 2p + 1 and then
     * to 2p + 2 over its one link, so worker p has it after {@link #fanOutVectors} vectors, and its link is free
     * again one vector per child later; the results are summed along the chain 0, 1, ..., N - 1 in pieces of 64k
     * floats, pipelined, so once worker p's link is free its sum reaches the driver one vector (its own hop) plus one
     * piece per later worker later. The round ends with the latest of these, over p (compute comes on top).
     */
    public static double criticalBytes(String exchange, int workers, long parameters) {
        double s = vectorBytes(parameters);
        return switch (exchange) {
            case "star" -> 2.0 * workers * s;
            case "tree" -> {
                double piece = Math.min(s, 4.0 * TREE_PIECE_FLOATS);
                double[] arrival = fanOutVectors(workers);
                double last = 0;
                for (int p = 0; p < workers; p++) {
                    int children = Math.max(0, Math.min(2, workers - (2 * p + 1)));
                    last = Math.max(last, (arrival[p] + children + 1) * s + (workers - 1 - p) * piece);
                }
                yield last;
            }
            default -> throw new IllegalArgumentException("expected exchange star or tree, got '" + exchange + "'");
        };
    }

    /**
     * When each worker has the round's task under the tree, in vector transfer times: worker 0 after one (the
     * driver's), and a worker's first child one after it, its second child two after it (a worker sends to its
     * children one after the other over its one link).
     */
    static double[] fanOutVectors(int workers) {
        double[] arrival = new double[workers];
        for (int p = 0; p < workers; p++) {
            arrival[p] = p == 0 ? 1 : arrival[(p - 1) / 2] + (p % 2 == 1 ? 1 : 2);
        }
        return arrival;
    }

    public double commSeconds(String exchange, int workers, long parameters, String link) {
        double v = criticalBytes(exchange, workers, parameters);
        return alphaSeconds + kappa(link) * 8 * v / LinkRate.parse(link) + gammaSecondsPerByte * v;
    }

    /** Compute over the predicted round time. */
    public double efficiency(double computeSeconds, double updateSeconds, String exchange, int workers,
                             long parameters, String link) {
        return computeSeconds / (computeSeconds + updateSeconds + commSeconds(exchange, workers, parameters, link));
    }

    /** The model's efficiency for a measured run, from that run's own compute and update times. */
    public double efficiency(ScaleRun run) {
        return efficiency(run.computeSeconds(), run.updateSeconds(), run.exchange(), run.workers(), run.parameters(),
                run.link());
    }

    /** The least compute per round for an efficiency of at least {@code target}, update and comm as predicted. */
    public double computeFor(double target, double updateSeconds, String exchange, int workers, long parameters,
                             String link) {
        return target / (1 - target) * (updateSeconds + commSeconds(exchange, workers, parameters, link));
    }

    /**
     * Least squares on the runs' communication times, weighted by 1 / comm^2 (relative errors). Columns: alpha, gamma,
     * then one kappa per shaped link rate among the runs. A coefficient that comes out negative, which no link has, is
     * held at zero and the others fitted again; with no unshaped or no shaped run, gamma and kappa still split the
     * per-byte cost as well as the runs allow.
     */
    public static CostModel fit(List<ScaleRun> runs) {
        if (runs.size() < 2) {
            throw new IllegalArgumentException("the cost model needs at least 2 measured runs, got " + runs.size());
        }
        List<String> shaped = runs.stream().map(ScaleRun::link).filter(l -> !Double.isInfinite(LinkRate.parse(l)))
                .distinct().sorted().toList();
        int n = runs.size();
        int k = 2 + shaped.size();
        double[][] x = new double[n][k];
        double[] y = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            ScaleRun r = runs.get(i);
            double v = criticalBytes(r.exchange(), r.workers(), r.parameters());
            x[i][0] = 1;
            x[i][1] = v;
            int link = shaped.indexOf(r.link());
            if (link >= 0) {
                x[i][2 + link] = 8 * v / LinkRate.parse(r.link());
            }
            y[i] = r.commSeconds();
            double scale = Math.max(y[i], 1e-3);
            w[i] = 1 / (scale * scale);
        }
        boolean[] free = new boolean[k];
        java.util.Arrays.fill(free, true);
        double[] coef = solve(x, y, w, free);
        for (int pass = 0; pass < k; pass++) {
            boolean changed = false;
            for (int j = 0; j < k; j++) {
                if (free[j] && coef[j] < 0) {
                    free[j] = false;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
            coef = solve(x, y, w, free);
        }
        Map<String, Double> kappa = new java.util.TreeMap<>();
        for (int l = 0; l < shaped.size(); l++) {
            kappa.put(shaped.get(l), coef[2 + l]);
        }
        return new CostModel(coef[0], kappa, coef[1], n);
    }

    /** The model fitted on every run but {@code left}: its prediction of {@code left} is a check, not an echo. */
    public static CostModel fitWithout(List<ScaleRun> runs, ScaleRun left) {
        List<ScaleRun> others = new ArrayList<>(runs);
        others.remove(left);
        return fit(others);
    }

    /** Weighted normal equations over the free columns; the others are held at zero. */
    private static double[] solve(double[][] x, double[] y, double[] w, boolean[] free) {
        int all = free.length;
        int[] cols = java.util.stream.IntStream.range(0, all).filter(j -> free[j]).toArray();
        int k = cols.length;
        double[] coef = new double[all];
        if (k == 0) {
            return coef;
        }
        double[][] a = new double[k][k + 1];
        for (int i = 0; i < x.length; i++) {
            double rest = y[i];
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
            d[p] = a[p][p] > 0 ? Math.sqrt(a[p][p]) : 1; // a column no run uses: its coefficient stays 0
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
