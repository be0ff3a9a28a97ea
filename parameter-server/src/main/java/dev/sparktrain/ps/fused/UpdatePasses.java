package dev.sparktrain.ps.fused;

import dev.sparktrain.ops.params.NativeFloats;
import dev.sparktrain.ps.optim.ChunkStep;
import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The driver's per-round update as few passes over the parameter vector as the maths allows, each spread over the
 * driver's cores ({@link DriverCores}) in fixed blocks: the optimizer step reads the mean gradient (or forms the
 * pseudo-gradient θ − mean), steps the parameters and slots, measures the norms of the gradient, of the change and
 * of the new parameters, and writes the new parameters into a Java array for the next round's snapshot, all in one
 * walk through the vectors in chunks that fit the L1 cache.
 * <p>Bitwise: every element's float arithmetic is that of the serial whole-vector step ({@link ChunkStep}), whatever
 * thread runs its block. The norms are sums of squares in double (a float's square is exact in double, so they cannot
 * overflow or lose the small squares) over each block in element order, then over the blocks in block order: the
 * same value on any number of threads, for every caller of these passes. They are metrics; they differ from BLAS's
 * {@code dsdot} (another order of the same sum) in the last bits.
 * <p>Native vectors must be float32 vectors that are their whole buffer ({@link #fits}).
 */
public final class UpdatePasses {

    /** Elements per block: a block's partial sums are combined in block order. 29 blocks on the Fashion MLP. */
    static final int BLOCK = 8192;
    /** Elements per chunk: six chunks of the working set stay inside a core's L1 data cache. */
    private static final int CHUNK = 1024;
    private static final int MAX_SLOTS = 4;
    /** Per thread: the gradient, parameters before and after, and the slots' chunks. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3 + MAX_SLOTS][CHUNK]);

    /** What a pass measured: L2 norms of the gradient applied, of the parameter change, and of the new parameters. */
    public record Norms(double gradient, double update, double params) {

        /** Whether every value the pass read was finite (the sums of squares in double are finite exactly then). */
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
     * gradient {@code source[i] / divisor} (one float division, as a mean taken in place rounds it) or, when
     * {@code pseudoGradient}, θ − {@code source} (divisor 1); the new parameters are also written into {@code mirror}
     * unless it is null.
     */
    public static Norms step(ChunkStep step, float[] source, float divisor, boolean pseudoGradient, INDArray params,
                             List<INDArray> slots, float[] mirror) {
        if (pseudoGradient && divisor != 1f) {
            throw new IllegalArgumentException("a pseudo-gradient is formed from a mean, got divisor " + divisor);
        }
        int n = (int) params.length();
        requireLength(source, n);
        FloatBuffer ps = params.data().asNioFloat();
        FloatBuffer[] ss = new FloatBuffer[slots.size()];
        for (int k = 0; k < ss.length; k++) {
            ss[k] = slots.get(k).data().asNioFloat();
        }
        int blocks = blocks(n);
        double[] sums = new double[3 * blocks];
        DriverCores.shared().forEachBlock(blocks, b -> {
            float[][] scratch = SCRATCH.get();
            float[] gc = scratch[0];
            float[] before = scratch[1];
            float[] pc = scratch[2];
            float[][] sc = new float[ss.length][];
            for (int k = 0; k < sc.length; k++) {
                sc[k] = scratch[3 + k];
            }
            double gradient = 0;
            double update = 0;
            double after = 0;
            int end = Math.min(n, (b + 1) * BLOCK);
            for (int from = b * BLOCK; from < end; from += CHUNK) {
                int len = Math.min(CHUNK, end - from);
                ps.get(from, pc, 0, len);
                System.arraycopy(pc, 0, before, 0, len);
                for (int k = 0; k < sc.length; k++) {
                    ss[k].get(from, sc[k], 0, len);
                }
                float[] g = source;
                int gFrom = from;
                if (pseudoGradient) {
                    for (int i = 0; i < len; i++) {
                        gc[i] = pc[i] - source[from + i];
                    }
                    g = gc;
                    gFrom = 0;
                } else if (divisor != 1f) {
                    for (int i = 0; i < len; i++) {
                        gc[i] = source[from + i] / divisor;
                    }
                    g = gc;
                    gFrom = 0;
                }
                gradient += Squares.of(g, gFrom, len);
                step.apply(g, gFrom, sc, pc, len);
                update += Squares.ofDifference(before, pc, len);
                after += Squares.of(pc, 0, len);
                ps.put(from, pc, 0, len);
                for (int k = 0; k < sc.length; k++) {
                    ss[k].put(from, sc[k], 0, len);
                }
                if (mirror != null) {
                    System.arraycopy(pc, 0, mirror, from, len);
                }
            }
            sums[3 * b] = gradient;
            sums[3 * b + 1] = update;
            sums[3 * b + 2] = after;
        });
        return norms(sums, blocks);
    }

    /**
     * Measures what adopting {@code mean} as the parameters would do, without changing anything: the norms of
     * θ − mean (both the pseudo-gradient and the change) and of the mean. {@link Norms#finite()} tells whether the
     * mean is finite.
     */
    public static Norms measureAdoption(float[] mean, INDArray params) {
        int n = (int) params.length();
        requireLength(mean, n);
        FloatBuffer ps = params.data().asNioFloat();
        int blocks = blocks(n);
        double[] sums = new double[3 * blocks];
        DriverCores.shared().forEachBlock(blocks, b -> {
            float[] pc = SCRATCH.get()[2];
            double change = 0;
            double after = 0;
            int end = Math.min(n, (b + 1) * BLOCK);
            for (int from = b * BLOCK; from < end; from += CHUNK) {
                int len = Math.min(CHUNK, end - from);
                ps.get(from, pc, 0, len);
                change += Squares.ofDifference(pc, mean, from, len);
                after += Squares.of(mean, from, len);
            }
            sums[3 * b] = change;
            sums[3 * b + 1] = change;
            sums[3 * b + 2] = after;
        });
        return norms(sums, blocks);
    }

    /** Copies {@code values} into {@code params} and, unless it is null, into {@code mirror}. */
    public static void adopt(float[] values, INDArray params, float[] mirror) {
        int n = (int) params.length();
        requireLength(values, n);
        FloatBuffer ps = params.data().asNioFloat();
        DriverCores.shared().forEachBlock(blocks(n), b -> {
            int from = b * BLOCK;
            int len = Math.min(n, from + BLOCK) - from;
            ps.put(from, values, from, len);
            if (mirror != null) {
                System.arraycopy(values, from, mirror, from, len);
            }
        });
    }

    /** ‖values‖₂, summed as the passes sum (NaN or infinite exactly when some value is). */
    public static double norm2(float[] values) {
        int n = values.length;
        int blocks = blocks(n);
        double[] sums = new double[blocks];
        DriverCores.shared().forEachBlock(blocks, b -> {
            int from = b * BLOCK;
            sums[b] = Squares.of(values, from, Math.min(n, from + BLOCK) - from);
        });
        return Math.sqrt(inOrder(sums, 0, 1, blocks));
    }

    /** ‖x‖₂ of a native vector ({@link #fits}), summed as the passes sum. */
    public static double norm2(INDArray x) {
        int n = (int) x.length();
        FloatBuffer xs = x.data().asNioFloat();
        int blocks = blocks(n);
        double[] sums = new double[blocks];
        DriverCores.shared().forEachBlock(blocks, b -> {
            float[] chunk = SCRATCH.get()[2];
            double sum = 0;
            int end = Math.min(n, (b + 1) * BLOCK);
            for (int from = b * BLOCK; from < end; from += CHUNK) {
                int len = Math.min(CHUNK, end - from);
                xs.get(from, chunk, 0, len);
                sum += Squares.of(chunk, 0, len);
            }
            sums[b] = sum;
        });
        return Math.sqrt(inOrder(sums, 0, 1, blocks));
    }

    private static int blocks(int n) {
        return Math.max(1, (n + BLOCK - 1) / BLOCK);
    }

    private static Norms norms(double[] sums, int blocks) {
        return new Norms(Math.sqrt(inOrder(sums, 0, 3, blocks)), Math.sqrt(inOrder(sums, 1, 3, blocks)),
                Math.sqrt(inOrder(sums, 2, 3, blocks)));
    }

    private static double inOrder(double[] sums, int first, int stride, int count) {
        double total = 0;
        for (int b = 0; b < count; b++) {
            total += sums[first + b * stride];
        }
        return total;
    }

    private static void requireLength(float[] values, int n) {
        if (values.length != n) {
            throw new IllegalArgumentException("a vector of " + values.length + " elements cannot update parameters of "
                    + n);
        }
    }
}
