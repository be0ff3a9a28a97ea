package dev.sparktrain.ps.checkpoint;

import dev.sparktrain.ps.ParameterServer;
import dev.sparktrain.ps.ServerState;
import dev.sparktrain.ps.optim.OptimizerState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Maps a {@link ParameterServer}'s state plus the driver's run information to a {@link Checkpoint} and back.
 * Arrays: {@code params}, {@code optimizer.<slot>}, {@code inner.<slot>} (averaged inner state, if held) and
 * {@code extra.<name>} (the driver's own arrays, e.g. per-worker state). Counters: {@code version}, {@code step}
 * and {@code inner_step}. Checkpoints written before the server dropped its epoch counter (which nothing advanced)
 * also hold an {@code epoch} counter: it is read past and ignored.
 */
public final class ServerCheckpoints {

    private static final String OPT = "optimizer.";
    private static final String INNER = "inner.";
    private static final String EXTRA = "extra.";

    private ServerCheckpoints() {
    }

    /** What the driver stores beside the server state: resolved config, seeds, extra JSON fields and arrays. */
    public record RunInfo(Map<String, Object> config, Map<String, Long> seeds, Map<String, Object> extra,
            Map<String, INDArray> arrays) {
        public RunInfo {
            config = frozen(config);
            seeds = frozen(seeds);
            extra = frozen(extra);
            arrays = frozen(arrays);
        }

        public static RunInfo of(Map<String, Object> config) {
            return new RunInfo(config, Map.of(), Map.of(), Map.of());
        }
    }

    public static Checkpoint capture(ParameterServer server, RunInfo run) {
        ServerState s = server.exportState();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("params", s.params());
        s.optimizerState().slots().forEach((k, v) -> arrays.put(OPT + k, v));
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("version", s.version());
        counters.put("step", s.optimizerState().step());
        if (s.innerState() != null) {
            s.innerState().slots().forEach((k, v) -> arrays.put(INNER + k, v));
            counters.put("inner_step", s.innerState().step());
        }
        run.arrays().forEach((k, v) -> arrays.put(EXTRA + k, v));
        return new Checkpoint(run.config(), server.optimizer().name(), counters, run.seeds(), run.extra(), arrays);
    }

    /**
     * Puts the checkpoint's state into {@code server} (same optimizer name, slots and length required) and
     * returns the driver's part.
     */
    public static RunInfo restore(Checkpoint c, ParameterServer server) {
        if (!c.optimizer().equals(server.optimizer().name())) {
            throw new IllegalArgumentException("checkpoint was written with optimizer '" + c.optimizer()
                    + "', this run uses '" + server.optimizer().name() + "'");
        }
        Map<String, INDArray> opt = new LinkedHashMap<>();
        Map<String, INDArray> inner = new LinkedHashMap<>();
        Map<String, INDArray> extra = new LinkedHashMap<>();
        c.arrays().forEach((k, v) -> {
            if (k.startsWith(OPT)) {
                opt.put(k.substring(OPT.length()), v);
            } else if (k.startsWith(INNER)) {
                inner.put(k.substring(INNER.length()), v);
            } else if (k.startsWith(EXTRA)) {
                extra.put(k.substring(EXTRA.length()), v);
            }
        });
        INDArray params = c.array("params");
        if (params.dataType() != server.dataType()) {
            throw new IllegalArgumentException("checkpoint parameters are " + params.dataType() + ", this run uses "
                    + server.dataType());
        }
        OptimizerState innerState = c.counters().containsKey("inner_step")
                ? new OptimizerState(c.counters().get("inner_step"), inner) : null;
        server.importState(new ServerState(params, new OptimizerState(counter(c, "step"), opt), innerState,
                c.version()));
        return new RunInfo(c.config(), c.seeds(), c.extra(), extra);
    }

    private static long counter(Checkpoint c, String name) {
        Long v = c.counters().get(name);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint has no counter '" + name + "'; counters: "
                    + c.counters().keySet());
        }
        return v;
    }

    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
