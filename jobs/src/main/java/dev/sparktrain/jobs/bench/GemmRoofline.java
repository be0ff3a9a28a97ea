package dev.sparktrain.jobs.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float32 GFLOP/s of ND4J's matrix product ({@code Nd4j.gemm} into a preallocated result, as the layers call it)
 * at one shape, on N threads at once with their own matrices: the ceiling the training kernel is held against.
 */
public final class GemmRoofline {

    private GemmRoofline() {
    }

    /** Total GFLOP/s of {@code threads} threads each multiplying [m×k]·[k×n] for {@code seconds}. */
    public static double gflops(long m, long k, long n, int threads, double seconds) {
        double flops = 2.0 * m * k * n;
        return Replicas.throughput(threads, index -> {
            INDArray a = Nd4j.rand(DataType.FLOAT, m, k);
            INDArray b = Nd4j.rand(DataType.FLOAT, k, n);
            INDArray c = Nd4j.create(DataType.FLOAT, m, n);
            return () -> {
                Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
                return flops;
            };
        }, Math.min(1, seconds / 2), seconds) / 1e9;
    }
}
