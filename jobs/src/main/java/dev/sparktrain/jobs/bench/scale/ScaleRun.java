package dev.sparktrain.jobs.bench.scale;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one scale run measured: {@code workers} workers on links of {@code link} (a tc rate such as {@code 100mbit},
 * or {@code none}), one mode and exchange, a model of {@code parameters} floats, means over {@code rounds} rounds after
 * warm-up. The round's wall time splits into the slowest worker's compute, the driver's update, and the rest: the
 * communication exposed on the critical path (sending parameters and results, merging, Spark's own overheads).
 * Driver bytes are what crossed the driver host's link per round, both ways, whatever carried them.
 */
public record ScaleRun(int workers, String link, String mode, String exchange, long parameters, int rounds,
                       double roundSeconds, double computeSeconds, double updateSeconds, double driverInBytes,
                       double driverOutBytes) {

    public ScaleRun {
        if (workers < 1 || parameters < 1 || rounds < 1) {
            throw new IllegalArgumentException("a scale run needs workers, parameters and rounds >= 1, got " + workers
                    + ", " + parameters + ", " + rounds);
        }
        LinkRate.parse(link);
    }

    public double commSeconds() {
        return Math.max(0, roundSeconds - computeSeconds - updateSeconds);
    }

    /** Scaling efficiency: the slowest worker's compute over the round's wall time. */
    public double efficiency() {
        return computeSeconds / roundSeconds;
    }

    /** The run's name in SCALE keys: {@code n4.100mbit.sync.star}. */
    public String key() {
        return key(workers, link, mode, exchange);
    }

    public static String key(int workers, String link, String mode, String exchange) {
        return "n" + workers + "." + link + "." + mode + "." + exchange;
    }

    /** One figure per entry, keyed {@code KEY.FIGURE}, as the {@code SCALE} lines print them. */
    public Map<String, String> figures() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put(key() + ".params", Long.toString(parameters));
        f.put(key() + ".rounds", Integer.toString(rounds));
        f.put(key() + ".round_s", num(roundSeconds));
        f.put(key() + ".compute_s", num(computeSeconds));
        f.put(key() + ".comm_s", num(commSeconds()));
        f.put(key() + ".update_s", num(updateSeconds));
        f.put(key() + ".driver_in_bytes", Long.toString(Math.round(driverInBytes)));
        f.put(key() + ".driver_out_bytes", Long.toString(Math.round(driverOutBytes)));
        f.put(key() + ".efficiency", String.format(Locale.ROOT, "%.4f", efficiency()));
        return f;
    }

    /** The run a set of SCALE figures describes, from the figures {@link #figures()} wrote under {@code key}. */
    public static ScaleRun fromFigures(String key, Map<String, String> figures) {
        String[] parts = key.split("\\.");
        if (parts.length != 4 || !parts[0].matches("n[1-9][0-9]*")) {
            throw new IllegalArgumentException("expected a run key like n4.100mbit.sync.star, got '" + key + "'");
        }
        return new ScaleRun(Integer.parseInt(parts[0].substring(1)), parts[1], parts[2], parts[3],
                Long.parseLong(need(figures, key, "params")), Integer.parseInt(need(figures, key, "rounds")),
                Double.parseDouble(need(figures, key, "round_s")), Double.parseDouble(need(figures, key, "compute_s")),
                Double.parseDouble(need(figures, key, "update_s")),
                Double.parseDouble(need(figures, key, "driver_in_bytes")),
                Double.parseDouble(need(figures, key, "driver_out_bytes")));
    }

    private static String need(Map<String, String> figures, String key, String figure) {
        String v = figures.get(key + "." + figure);
        if (v == null) {
            throw new IllegalArgumentException("expected a SCALE line " + key + "." + figure + "=..., found none");
        }
        return v;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
