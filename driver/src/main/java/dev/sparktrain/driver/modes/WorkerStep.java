package dev.sparktrain.driver.modes;

import dev.sparktrain.driver.data.Batch;
import dev.sparktrain.ops.layers.ForwardContext;
import dev.sparktrain.ops.network.Network;
import dev.sparktrain.ops.params.BlasVectors;
import dev.sparktrain.ops.runtime.ScratchWorkspace;
import dev.sparktrain.ps.optim.Optimizer;
import dev.sparktrain.ps.optim.OptimizerState;
import org.nd4j.linalg.api.memory.MemoryWorkspace;

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
        try (MemoryWorkspace temporaries = ScratchWorkspace.open()) {
            double loss = network.computeGradient(batch.features(), batch.labels(), context);
            // One BLAS pass (Σ|g|) tells whether any gradient entry is NaN or infinite.
            if (!Double.isFinite(loss) || !BlasVectors.allFinite(network.gradient())) {
                return new Outcome(loss, null);
            }
            // The worker owns its gradient, state and parameters: the optimizer may update them in place.
            Optimizer.Step next = optimizer.stepInPlace(network.gradient(), state, network.params());
            return new Outcome(loss, next.state().outsideWorkspace(state));
        }
    }
}
