package dev.sparktrain.jobs.bench;

import dev.sparktrain.ops.layers.Conv2d;
import dev.sparktrain.ops.layers.Dense;
import dev.sparktrain.ops.layers.LayerSpec;
import dev.sparktrain.ops.layers.Shape;
import dev.sparktrain.ops.network.NetworkSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The matrix-product work of a network, the part a roofline speaks about: dense layers are one [batch×in]·[in×out]
 * product forward and two backward (dW = xᵀ·dz, dx = dz·Wᵀ); a convolution is the same as a product over its
 * im2col patches. Element-wise ops (activations, bias, loss, optimizer) are left out: they are memory-bound.
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

    /** The forward products of every dense and conv layer for a batch of {@code batch} rows. */
    public static List<Gemm> forwardGemms(NetworkSpec spec, int batch) {
        List<Shape> shapes = spec.shapes();
        List<Gemm> gemms = new ArrayList<>();
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            Shape in = shapes.get(i);
            Shape out = shapes.get(i + 1);
            String name = (i + 1) + " " + layer.getClass().getSimpleName().toLowerCase();
            if (layer instanceof Dense d) {
                gemms.add(new Gemm(name, batch, in.size(), d.units()));
            } else if (layer instanceof Conv2d c) {
                long outArea = out.dim(1) * out.dim(2);
                gemms.add(new Gemm(name, batch * outArea, in.dim(0) * c.kernel().h() * c.kernel().w(), c.filters()));
            }
        }
        return gemms;
    }

    /** Forward plus backward products per sample: three products of each forward shape. */
    public static double trainingFlopsPerSample(NetworkSpec spec) {
        return 3 * forwardGemms(spec, 1).stream().mapToDouble(Gemm::flops).sum();
    }
}
