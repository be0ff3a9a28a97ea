package dev.sparktrain.ps;

import dev.sparktrain.ps.optim.OptimizerState;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything the parameter server holds, as one immutable value: flat parameters, the driver optimizer's state
 * (its step is the update counter), the averaged inner optimizer state when the policy is
 * {@link InnerStatePolicy#AVERAGE} (else null), and the version (grows with every change).
 * {@link ParameterServer#exportState()} hands out copies; {@link ParameterServer#importState} copies in.
 */
public record ServerState(INDArray params, OptimizerState optimizerState, OptimizerState innerState, long version) {

    public ServerState {
        if (params == null || optimizerState == null) {
            throw new IllegalArgumentException("server state needs parameters and an optimizer state");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, got " + version);
        }
    }

    public Optional<OptimizerState> inner() {
        return Optional.ofNullable(innerState);
    }
}
