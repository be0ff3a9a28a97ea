package dev.sparktrain.ops.layers;

/**
 * What runs a float convolution ({@link Conv2dLayer}); double passes (gradient checks) always run on the columns.
 * docs/performance.md ("Session 13") has the measurements behind the default, {@link #ONEDNN}.
 */
enum ConvBackend {
    /** im2col into a kept column matrix, matrix products, col2im (Java loops and libnd4j's matmul). */
    COLUMNS,
    /** oneDNN's convolution primitives on the arrays' own NCHW/OIHW layouts, no reorders. */
    ONEDNN_NATIVE_LAYOUT,
    /** oneDNN's convolution primitives in the layouts oneDNN prefers (channel blocks), with reorders: the default. */
    ONEDNN
}
