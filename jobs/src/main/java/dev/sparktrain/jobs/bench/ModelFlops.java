package dev.sparktrain.jobs.bench;

import dev.sparktrain.ops.layers.LayerSpec;
import dev.sparktrain.ops.layers.MatrixProduct;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.network.NetworkSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The matrix-product work of a network, the part a roofline speaks about: each layer's forward products
 * ({@link LayerSpec#forwardProducts}: a dense layer's [batch×in]·[in×out], a convolution's product over its im2col
 * patches), and twice as many backward (dW = xᵀ·dz, dx = dz·Wᵀ). Element-wise ops (activations, bias, loss,
 * optimizer) are left out: they are memory-bound.
 */
public final class ModelFlops {

    /** One matrix product [m×k]·[k×n] (2·m·k·n floating-point operations). */
    public record Gemm(String layer, long m, long k, long n) {
        public double flops() {
            return 2.0 * m * k * n;
        }

        @Override
        public String toString() {
            return m + "x" + k + "x" + n;
        }
    }

    private ModelFlops() {
    }

    /** The forward products of every layer for a batch of {@code batch} rows. */
    public static List<Gemm> forwardGemms(NetworkSpec spec, int batch) {
        List<Shape> shapes = spec.shapes();
        List<Gemm> gemms = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            String name = (i + 1) + " " + layer.kind();
            for (MatrixProduct p : layer.forwardProducts(shapes.get(i))) {
                MatrixProduct b = p.forBatch(batch);
                gemms.add(new Gemm(name, b.m(), b.k(), b.n()));
            }
        }
        return gemms;
    }

    /** Forward plus backward products per sample: three products of each forward shape. */
    public static double trainingFlopsPerSample(NetworkSpec spec) {
        return 3 * forwardGemms(spec, 1).stream().mapToDouble(Gemm::flops).sum();
    }
}
