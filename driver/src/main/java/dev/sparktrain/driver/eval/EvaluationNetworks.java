package dev.sparktrain.driver.eval;

import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.network.NetworkSpec;
import dev.sparktrain.ops.params.NativeFloats;

/**
 * Each thread's network for evaluating a model, kept for its next evaluation task: a fresh network's native buffers
 * cost more than the copy of the parameters into them (docs/performance.md). Apart from training's networks, whose
 * batches are smaller: sharing would re-size the layers' buffers twice an epoch. A cache only: the parameters are
 * copied in for every task.
 */
final class EvaluationNetworks {

    private static final ThreadLocal<Network> KEPT = new ThreadLocal<>();

    private EvaluationNetworks() {
    }

    /** This thread's network for {@code spec}, holding a copy of {@code params}. */
    static Network withParams(NetworkSpec spec, float[] params) {
        Network network = KEPT.get();
        if (network == null || !network.spec().equals(spec) || network.params().length() != params.length) {
            network = new Network(spec, NativeFloats.copyOf(params));
            KEPT.set(network);
        } else {
            NativeFloats.copyInto(network.params(), params);
        }
        return network;
    }
}
