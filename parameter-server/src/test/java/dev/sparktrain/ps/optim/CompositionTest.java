package dev.sparktrain.ps.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sparktrain.ps.schedule.CosineDecay;
import dev.sparktrain.ps.schedule.LinearWarmup;
import dev.sparktrain.ps.schedule.Schedule;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Wrappers (decoupled decay, L2, clipping, schedules) and the equivalences between rules. */
class CompositionTest {

    /** PyTorch AdamW: p ← p·(1 − lr·λ), then the Adam step. */
    @Test
    void adamWMatchesPyTorchAlgorithm() {
        double lr = 0.01;
        double wd = 0.1;
        Trajectory.check(DecoupledWeightDecay.adamW(lr, wd), new Trajectory.Reference() {
            final double[] m = new double[4];
            final double[] v = new double[4];

            public void step(int t, double[] g, double[] p) {
                for (int i = 0; i < 4; i++) {
                    p[i] *= 1 - lr * wd;
                    m[i] = 0.9 * m[i] + 0.1 * g[i];
                    v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                    double mHat = m[i] / (1 - Math.pow(0.9, t));
                    double vHat = v[i] / (1 - Math.pow(0.999, t));
                    p[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
                }
            }

            public double[] slot(String name) {
                return name.equals("m") ? m : v;
            }
        });
    }

    @Test
    void adamWWithZeroDecayIsAdam() {
        assertSameTrajectory(Adam.defaults(0.01), new DecoupledWeightDecay(Adam.defaults(0.01), 0), 0);
    }

    /**
     * With β1 = 0, m_t = g_t and 1 − β1ᵗ = 1, so TF-convention Adam is Δ = −lr·√(1 − β2ᵗ)·g/(√v + ε) with
     * v = β2·v + (1 − β2)·g²: PyTorch RMSProp (α = β2, same ε) whose learning rate at step t (from 1) is
     * lr·√(1 − β2ᵗ), i.e. RMSProp with the bias correction of v folded into a schedule.
     */
    @Test
    void adamWithoutFirstMomentIsBiasCorrectedRmsProp() {
        double beta2 = 0.95;
        Adam adam = new Adam(0.01, 0, beta2, 1e-6, EpsilonConvention.TENSORFLOW, false);
        Schedule biasCorrection = step -> Math.sqrt(1 - Math.pow(beta2, step + 1));
        Scheduled rms = new Scheduled(new RmsPropTorch(0.01, beta2, 1e-6, 0, false), biasCorrection);
        assertSameTrajectory(adam, rms, 1e-14);
    }

    @Test
    void coupledL2AddsLambdaTimesParamsToTheGradient() {
        double l2 = 0.05;
        Trajectory.check(new CoupledWeightDecay(Sgd.momentum(0.1, 0.9), l2), new Trajectory.Reference() {
            final double[] b = new double[4];

            public void step(int t, double[] g, double[] p) {
                for (int i = 0; i < 4; i++) {
                    b[i] = 0.9 * b[i] + g[i] + l2 * p[i];
                    p[i] -= 0.1 * b[i];
                }
            }

            public double[] slot(String name) {
                return b;
            }
        });
    }

    @Test
    void clipByGlobalNormScalesOnlyLargeGradients() {
        Trajectory.check(new ClipByGlobalNorm(Sgd.plain(1), 1.0), new Trajectory.Reference() {
            public void step(int t, double[] g, double[] p) {
                double norm = 0;
                for (double x : g) {
                    norm += x * x;
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < 4; i++) {
                    p[i] -= g[i] * 1.0 / Math.max(norm, 1.0);
                }
            }

            public double[] slot(String name) {
                throw new AssertionError(name);
            }
        });
    }

    @Test
    void clipByValue() {
        Trajectory.check(new ClipByValue(Sgd.plain(1), 0.3), new Trajectory.Reference() {
            public void step(int t, double[] g, double[] p) {
                for (int i = 0; i < 4; i++) {
                    p[i] -= Math.max(-0.3, Math.min(0.3, g[i]));
                }
            }

            public double[] slot(String name) {
                throw new AssertionError(name);
            }
        });
    }

    /** The scheduled rate enters TF RMSProp's momentum buffer: mom = μ·mom + lr_t·g/√(ms + ε). */
    @Test
    void scheduleReachesInsideTheMomentumBuffer() {
        Schedule s = new LinearWarmup(3, 0.25, new CosineDecay(6, 0.1));
        Trajectory.check(new Scheduled(new RmsPropTf(0.01, 0.9, 0.9, 1e-10, false), s), new Trajectory.Reference() {
            final double[] ms = {1, 1, 1, 1};
            final double[] mom = new double[4];

            public void step(int t, double[] g, double[] p) {
                long k = t - 1;
                double factor = k < 3 ? 0.25 + 0.75 * k / 3
                        : 0.9 * 0.5 * (1 + Math.cos(Math.PI * Math.min(k - 3, 6) / 6)) + 0.1;
                for (int i = 0; i < 4; i++) {
                    ms[i] = 0.9 * ms[i] + 0.1 * g[i] * g[i];
                    mom[i] = 0.9 * mom[i] + 0.01 * factor * g[i] / Math.sqrt(ms[i] + 1e-10);
                    p[i] -= mom[i];
                }
            }

            public double[] slot(String name) {
                return name.equals("ms") ? ms : mom;
            }
        });
    }

    @Test
    void stateExportAndImportValidateTheKeys() {
        Adam adam = Adam.defaults(0.1);
        INDArray p = Nd4j.createFromArray(1.0, 2.0);
        OptimizerState s = adam.step(Nd4j.createFromArray(0.1, 0.2), adam.init(p), p).state();
        OptimizerState back = adam.restore(s.step(), s.slots(), 2);
        assertEquals(1, back.step());
        assertArrayEquals(s.slot("m").toDoubleVector(), back.slot("m").toDoubleVector());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> adam.restore(1, java.util.Map.of("m", s.slot("m")), 2));
        assertEquals("optimizer state slots do not match: expected [m, v], got [m]; missing [v]", e.getMessage());
    }

    private static void assertSameTrajectory(Optimizer a, Optimizer b, double tol) {
        INDArray pa = Nd4j.createFromArray(Trajectory.START.clone());
        INDArray pb = pa.dup();
        OptimizerState sa = a.init(pa);
        OptimizerState sb = b.init(pb);
        for (int t = 1; t <= Trajectory.STEPS; t++) {
            INDArray g = Nd4j.createFromArray(Trajectory.gradient(t));
            Optimizer.Step na = a.step(g, sa, pa);
            Optimizer.Step nb = b.step(g, sb, pb);
            pa = na.params();
            pb = nb.params();
            sa = na.state();
            sb = nb.state();
            assertArrayEquals(pa.toDoubleVector(), pb.toDoubleVector(), tol, "step " + t);
        }
    }
}
