package dev.sparktrain.driver;

import java.util.Arrays;
import java.util.Locale;

/** How a round's inputs reach the workers and their results come back ({@code training.transport}). */
public enum RoundTransport {
    /**
     * ONE Spark job per round: the parameters go out as a broadcast, results come back as task results. Each round
     * is its own unit of fault tolerance: Spark re-runs a lost task anywhere, on whatever executors are left.
     */
    JOB,
    /**
     * ONE barrier Spark job per block of rounds (up to the next checkpoint or the end of the epoch): each worker's
     * task stays up for the whole block and exchanges the rounds' inputs and results with the driver over a TCP
     * connection, so a round costs no Spark scheduling. The block is the unit of fault tolerance: when a worker is
     * lost, the driver restores the state it had at the block's start and runs the block again, which gives the same
     * parameters. The workers' tasks run all at once: while Spark has fewer task slots than workers, blocks run one
     * Spark job per round instead, with the same results.
     */
    CHANNEL;

    public static RoundTransport parse(String field, String value) {
        for (RoundTransport t : values()) {
            if (t.configName().equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException(field + " must be one of " + Arrays.stream(values())
                .map(RoundTransport::configName).toList() + ", got '" + value + "'");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
