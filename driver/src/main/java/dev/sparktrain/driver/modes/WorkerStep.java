package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;

/**
 * One local optimizer step of a worker: forward and backward on a batch, then the optimizer, with the network's
 * parameters, gradient and optimizer state updated in place. The unit of work of the local-step modes, and what
 * the benchmark times.
 */
public final class WorkerStep {

    private WorkerStep() {
    }

    /** The step's data loss and the optimizer state after it; {@code state} is null when the step was not taken. */
    public record Outcome(double loss, OptimizerState state) {
        public boolean finite() {
            return state != null;
        }
    }

    /** Takes the step, unless the loss or some gradient entry is NaN or infinite (then parameters are untouched). */
    public static Outcome run(Network network, Optimizer optimizer, OptimizerState state, Batch batch,
                              ForwardContext context) {
        double loss = network.computeGradient(batch.features(), batch.labels(), context);
        // One reduction tells whether any gradient entry is NaN or infinite: such values make the sum non-finite.
        if (!Double.isFinite(loss) || !Double.isFinite(network.gradient().sumNumber().doubleValue())) {
            return new Outcome(loss, null);
        }
        // The worker owns its gradient, state and parameters: the optimizer may update them in place.
        Optimizer.Step next = optimizer.stepInPlace(network.gradient(), state, network.params());
        return new Outcome(loss, next.state());
    }
}
