package dev.sparktrain.ps.optim;

import dev.sparktrain.ps.schedule.Schedule;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A rule whose learning rate follows a schedule: the step with state step t (0 for the first update) runs the
 * rule with lr·schedule.factor(t). The rule sees the scheduled lr wherever it uses lr (inside TensorFlow
 * RMSProp's momentum buffer, in AdamW's decay), so this is exact, not a rescaling of Δ.
 */
public record Scheduled(UpdateRule rule, Schedule schedule) implements UpdateRule {

    public Scheduled {
        if (rule == null || schedule == null) {
            throw new IllegalArgumentException("a scheduled optimizer needs a rule and a schedule, got " + rule
                    + ", " + schedule);
        }
    }

    @Override
    public double learningRateAt(long step) {
        return rule.learningRate() * schedule.factor(step);
    }

    @Override
    public double learningRate() {
        return rule.learningRate();
    }


    @Override
    public String name() {
        return rule.name();
    }

    @Override
    public Set<String> slotNames() {
        return rule.slotNames();
    }

    @Override
    public OptimizerState init(INDArray params) {
        return rule.init(params);
    }

    @Override
    public Step stepInPlace(INDArray g, OptimizerState state, INDArray params, double lr) {
        return rule.stepInPlace(g, state, params, lr * schedule.factor(state.step()));
    }

    @Override
    public ChunkStep chunkStep(OptimizerState state, double lr) {
        return rule.chunkStep(state, lr * schedule.factor(state.step()));
    }

    /** Runs the rule with the scheduled rate; {@code lr} here is the base rate the schedule scales. */
    @Override
    public OptimizerUpdate update(INDArray g, OptimizerState state, INDArray params, double lr) {
        return rule.update(g, state, params, lr * schedule.factor(state.step()));
    }
}
