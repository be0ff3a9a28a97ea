package dev.sparktrain.driver;

import java.util.Arrays;
import java.util.Locale;

/**
 * The shape in which the workers' results reach the driver and the parameters reach the workers
 * ({@code training.exchange.topology}). Both give the same parameters, bit for bit, for the same config and seed.
 */
public enum ExchangeTopology {
    /**
     * Every worker sends its result to the driver, which sums them in partition order: the driver's link carries one
     * vector per worker per round each way.
     */
    STAR,
    /**
     * The workers sum their results among themselves in partition order and the driver receives one sum per round;
     * the parameters reach the workers through a binary tree of workers (the channel) or Spark's torrent broadcast
     * (one Spark job per round). The driver's link carries the same bytes whatever the number of workers.
     */
    TREE;

    public static ExchangeTopology parse(String field, String value) {
        for (ExchangeTopology t : values()) {
            if (t.configName().equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException(field + " must be one of " + Arrays.stream(values())
                .map(ExchangeTopology::configName).toList() + ", got '" + value + "'");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
