package dev.sparktrain.jobs.bench.scale;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A link rate as tc writes it ({@code 100mbit}, {@code 1gbit}, {@code 500kbit}) or {@code none} (unshaped). */
public final class LinkRate {

    private static final Pattern RATE = Pattern.compile("([1-9][0-9]*)(kbit|mbit|gbit)");

    private LinkRate() {
    }

    /** Bits per second; {@link Double#POSITIVE_INFINITY} for {@code none}. */
    public static double parse(String link) {
        if ("none".equals(link)) {
            return Double.POSITIVE_INFINITY;
        }
        Matcher m = link == null ? null : RATE.matcher(link);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("expected a link rate like 100mbit, 1gbit or none, got '" + link + "'");
        }
        double unit = switch (m.group(2)) {
            case "kbit" -> 1e3;
            case "mbit" -> 1e6;
            default -> 1e9;
        };
        return Long.parseLong(m.group(1)) * unit;
    }
}
