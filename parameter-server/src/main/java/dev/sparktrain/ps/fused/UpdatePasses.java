package dev.sparktrain.ps.fused;

import dev.sparktrain.ops.params.BlasVectors;
import dev.sparktrain.ops.params.NativeFloats;
import dev.sparktrain.ps.VectorSum;
import dev.sparktrain.ps.optim.ChunkStep;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The driver's per-round update as few passes over the parameter vector as the maths allows, each spread over the
 * driver's cores ({@link DriverCores}) in blocks: the optimizer step reads the mean gradient (adding the workers'
 * sums and dividing them as it reads them, or forming the pseudo-gradient θ − mean), steps the parameters and slots,
 * leaves the gradient and the change in two scratch vectors for their norms (a pass of their own, which a caller may
 * take after the new parameters have gone out), and writes the new parameters into a Java array for the next round's
 * snapshot, all in one walk through the vectors in chunks that fit the L1 cache.
 * <p>Bitwise: every element's float arithmetic is that of the serial whole-vector step ({@link ChunkStep}), whatever
 * thread runs its block; and the norms are the whole-vector updates' own ({@link BlasVectors#norm2} of the same float
 * vectors), so the metrics keep their values too.
 * <p>Native vectors must be float32 vectors that are their whole buffer ({@link #fits}).
 */
public final class UpdatePasses {

    /** Elements per block, the unit a thread takes: 29 blocks on the Fashion MLP. */
    static final int BLOCK = 8192;
    /** Elements per chunk: the working set's chunks stay inside a core's L1 data cache. */
    private static final int CHUNK = 1024;
    private static final int MAX_SLOTS = 4;
    /** Per thread: the gradient, parameters before and after, the change, the slots' chunks, a further term's chunk. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(
            () -> new float[5 + MAX_SLOTS][CHUNK]);
    private static final int TERM = 4 + MAX_SLOTS;

    /** What a pass measured: L2 norms of the gradient applied, of the parameter change, and of the new parameters. */
    public record Norms(double gradient, double update, double params) {

        /** Whether every value the pass read was finite (their sums of squares are NaN or infinite otherwise). */
        public boolean finite() {
            return Double.isFinite(gradient) && Double.isFinite(update) && Double.isFinite(params);
        }
    }

    private UpdatePasses() {
    }

    /** Whether {@code params} and {@code slots} are float32 vectors of one buffer each, as these passes need. */
    public static boolean fits(INDArray params, List<INDArray> slots) {
        if (params.length() > Integer.MAX_VALUE || !NativeFloats.isWholeBuffer(params)) {
            return false;
        }
        for (INDArray slot : slots) {
            if (slot.length() != params.length() || !NativeFloats.isWholeBuffer(slot)) {
                return false;
            }
        }
        return slots.size() <= MAX_SLOTS;
    }

    /**
     * One optimizer step in place on {@code params} and {@code slots} (in {@code step}'s slot order), with the
     * gradient {@code source[i] / divisor} (the source's terms added in order, then one float division, as a merge
     * and a mean taken in place round them) or, when {@code pseudoGradient}, θ − {@code source[i] / divisor}. The
     * gradient and the change are left in {@code gradientOut} and {@code changeOut} (vectors like {@code params}) for
     * their norms ({@link #norms}), the new parameters also in {@code mirror} unless it is null.
     */
    public static void step(ChunkStep step, VectorSum source, float divisor, boolean pseudoGradient,
                             INDArray params, List<INDArray> slots, INDArray gradientOut, INDArray changeOut,
                             float[] mirror) {
        int n = (int) params.length();
        requireLength(source.length(), n);
        float[][] terms = source.terms().toArray(new float[0][]);
        FloatBuffer ps = params.data().asNioFloat();
        FloatBuffer gs = gradientOut.data().asNioFloat();
        FloatBuffer cs = changeOut.data().asNioFloat();
        FloatBuffer[] ss = new FloatBuffer[slots.size()];
        for (int k = 0; k < ss.length; k++) {
            ss[k] = slots.get(k).data().asNioFloat();
        }
        DriverCores.shared().forEachBlock(blocks(n), b -> {
            float[][] scratch = SCRATCH.get();
            float[] gc = scratch[0];
            float[] before = scratch[1];
            float[] pc = scratch[2];
            float[] change = scratch[3];
            float[] term = scratch[TERM];
            float[][] sc = new float[ss.length][];
            for (int k = 0; k < sc.length; k++) {
                sc[k] = scratch[4 + k];
            }
            int start = b * BLOCK;
            int end = Math.min(n, start + BLOCK);
            for (int from = start; from < end; from += CHUNK) {
                int len = Math.min(CHUNK, end - from);
                ps.get(from, pc, 0, len);
                System.arraycopy(pc, 0, before, 0, len);
                for (int k = 0; k < sc.length; k++) {
                    ss[k].get(from, sc[k], 0, len);
                }
                // Loops over chunks indexed from 0 compile to SIMD instructions; with an offset they did not.
                mean(terms, divisor, from, len, gc, term);
                if (pseudoGradient) {
                    difference(pc, gc, gc, len);
                }
                gs.put(from, gc, 0, len);
                step.apply(gc, sc, pc, len);
                difference(before, pc, change, len);
                cs.put(from, change, 0, len);
                ps.put(from, pc, 0, len);
                for (int k = 0; k < sc.length; k++) {
                    ss[k].put(from, sc[k], 0, len);
                }
                if (mirror != null) {
                    System.arraycopy(pc, 0, mirror, from, len);
                }
            }
        });
    }

    /**
     * Whether every element of the pseudo-gradient θ − {@code source[i] / divisor} (the terms added in order, then
     * divided, as {@link #step} forms it) is finite, which it is only when the mean is: the check that must pass
     * before a step on the workers' mean, without the mean's own vector or norms.
     */
    public static boolean pseudoGradientFinite(VectorSum source, float divisor, INDArray params) {
        int n = (int) params.length();
        requireLength(source.length(), n);
        float[][] terms = source.terms().toArray(new float[0][]);
        FloatBuffer ps = params.data().asNioFloat();
        AtomicBoolean finite = new AtomicBoolean(true);
        DriverCores.shared().forEachBlock(blocks(n), b -> {
            float[][] scratch = SCRATCH.get();
            float[] gc = scratch[0];
            float[] pc = scratch[2];
            float[] term = scratch[TERM];
            int end = Math.min(n, b * BLOCK + BLOCK);
            for (int from = b * BLOCK; from < end && finite.get(); from += CHUNK) {
                int len = Math.min(CHUNK, end - from);
                ps.get(from, pc, 0, len);
                mean(terms, divisor, from, len, gc, term);
                difference(pc, gc, gc, len);
                if (!(largestMagnitude(gc, len) <= Float.MAX_VALUE)) {
                    finite.set(false);
                }
            }
        });
        return finite.get();
    }

    /** out[0, len) = the terms' elements [from, from + len) added in order, divided by {@code divisor} unless 1. */
    private static void mean(float[][] terms, float divisor, int from, int len, float[] out, float[] term) {
        System.arraycopy(terms[0], from, out, 0, len);
        for (int k = 1; k < terms.length; k++) {
            System.arraycopy(terms[k], from, term, 0, len);
            add(out, term, len);
        }
        if (divisor != 1f) {
            divide(out, divisor, len);
        }
    }

    /** The largest |x[i]|; NaN when some x[i] is NaN (Math.max keeps a NaN). */
    private static float largestMagnitude(float[] x, int len) {
        float largest = 0;
        for (int i = 0; i < len; i++) {
            largest = Math.max(largest, Math.abs(x[i]));
        }
        return largest;
    }

    /**
     * Measures what adopting {@code mean} as the parameters would do, without changing them: the norms of θ − mean
     * (both the pseudo-gradient and the change) and of the mean. Leaves the mean in {@code meanOut} and θ − mean in
     * {@code changeOut} (vectors like {@code params}). {@link Norms#finite()} tells whether the mean is finite.
     */
    public static Norms measureAdoption(float[] mean, INDArray params, INDArray meanOut, INDArray changeOut) {
        int n = (int) params.length();
        requireLength(mean.length, n);
        FloatBuffer ps = params.data().asNioFloat();
        FloatBuffer ms = meanOut.data().asNioFloat();
        FloatBuffer cs = changeOut.data().asNioFloat();
        DriverCores.shared().forEachBlock(blocks(n), b -> {
            float[][] scratch = SCRATCH.get();
            float[] mc = scratch[0];
            float[] pc = scratch[2];
            float[] change = scratch[3];
            int start = b * BLOCK;
            int end = Math.min(n, start + BLOCK);
            for (int from = start; from < end; from += CHUNK) {
                int len = Math.min(CHUNK, end - from);
                ps.get(from, pc, 0, len);
                System.arraycopy(mean, from, mc, 0, len);
                difference(pc, mc, change, len);
                cs.put(from, change, 0, len);
                ms.put(from, mc, 0, len);
            }
        });
        double[] norms = new double[2];
        DriverCores.shared().forEachBlock(2, k -> norms[k] = BlasVectors.norm2(k == 0 ? changeOut : meanOut));
        return new Norms(norms[0], norms[0], norms[1]);
    }

    /** Copies {@code values} (a vector like {@code params}) into {@code params} and, unless it is null, {@code mirror}. */
    public static void adopt(INDArray values, INDArray params, float[] mirror) {
        int n = (int) params.length();
        FloatBuffer vs = values.data().asNioFloat();
        FloatBuffer ps = params.data().asNioFloat();
        DriverCores.shared().forEachBlock(blocks(n), b -> {
            int from = b * BLOCK;
            int len = Math.min(n, from + BLOCK) - from;
            if (mirror != null) {
                vs.get(from, mirror, from, len);
                ps.put(from, mirror, from, len);
            } else {
                ps.put(from, vs, from, len);
            }
        });
    }

    /** out[i] = a[i] − b[i]; a loop of its own, which HotSpot compiles to SIMD instructions whatever its caller. */
    private static void difference(float[] a, float[] b, float[] out, int len) {
        for (int i = 0; i < len; i++) {
            out[i] = a[i] - b[i];
        }
    }

    /** sum[i] += term[i]: a merge's addition. */
    private static void add(float[] sum, float[] term, int len) {
        for (int i = 0; i < len; i++) {
            sum[i] += term[i];
        }
    }

    /** x[i] = x[i] / divisor. */
    private static void divide(float[] x, float divisor, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = x[i] / divisor;
        }
    }

    private static int blocks(int n) {
        return Math.max(1, (n + BLOCK - 1) / BLOCK);
    }

    /**
     * The three vectors' norms after a {@link #step}: of the gradient and the change it left and of the parameters,
     * one {@link BlasVectors#norm2} each (as the whole-vector updates measure them: the same values), side by side on
     * the driver's cores. Per block, the sums took longer than the step: a Java loop summing in double does not
     * vectorize, and a BLAS call per block paid more for its buffer slice than for its sum. A pass of its own, so that
     * a caller can take it after the new parameters have gone out.
     */
    public static Norms norms(INDArray gradient, INDArray change, INDArray params) {
        INDArray[] vectors = {gradient, change, params};
        double[] norms = new double[3];
        DriverCores.shared().forEachBlock(3, k -> norms[k] = BlasVectors.norm2(vectors[k]));
        return new Norms(norms[0], norms[1], norms[2]);
    }

    private static void requireLength(int length, int n) {
        if (length != n) {
            throw new IllegalArgumentException("a vector of " + length + " elements cannot update parameters of "
                    + n);
        }
    }
}
