package dev.sparktrain.ops.layers;

/**
 * One matrix product [m×k]·[k×n] a layer computes in its forward pass, for one sample: a dense layer is
 * [1×in]·[in×out], a convolution is the product over its im2col patches, [outH·outW × in·kH·kW]·[.. × filters].
 * A batch of b samples is the same product with b·m rows. The backward pass repeats each product twice
 * (weight gradient and input gradient), which is how the benchmark counts a step's work.
 */
public record MatrixProduct(long m, long k, long n) {

    public MatrixProduct {
        if (m <= 0 || k <= 0 || n <= 0) {
            throw new IllegalArgumentException("matrix product sizes must be > 0, got " + m + "x" + k + "x" + n);
        }
    }

    /** The same product for a batch of {@code batch} samples. */
    public MatrixProduct forBatch(long batch) {
        return new MatrixProduct(m * batch, k, n);
    }

    /** 2·m·k·n floating-point operations. */
    public double flops() {
        return 2.0 * m * k * n;
    }

    @Override
    public String toString() {
        return m + "x" + k + "x" + n;
    }
}
