package dev.sparktrain.ops.layers;

import dev.sparktrain.ops.layers.OneDnnConvolution.Layout;

/**
 * What runs a float convolution ({@link Conv2dLayer}); double passes (gradient checks) always run on the columns.
 * docs/performance.md ("Session 13") has the measurements behind the default, {@link #ONEDNN}, and its layout rule.
 */
enum ConvBackend {
    /** im2col into a kept column matrix, matrix products, col2im (Java loops and libnd4j's matmul). */
    COLUMNS,
    /** oneDNN's convolution primitives, activations channels-last unless {@link #blocked} (the default). */
    ONEDNN,
    /** oneDNN's primitives on the arrays' own NCHW/OIHW layouts, no reorders (for comparison). */
    ONEDNN_NCHW,
    /** oneDNN's primitives, activations channels-last (for comparison). */
    ONEDNN_NHWC,
    /** oneDNN's primitives, activations in blocks of channels (for comparison). */
    ONEDNN_BLOCKED;

    /** The activations' layout inside oneDNN for a convolution on {@code channels} input channels. */
    Layout layout(int channels) {
        return switch (this) {
            case ONEDNN -> blocked(channels) ? Layout.BLOCKED : Layout.NHWC;
            case ONEDNN_NCHW -> Layout.NCHW;
            case ONEDNN_NHWC -> Layout.NHWC;
            case ONEDNN_BLOCKED -> Layout.BLOCKED;
            case COLUMNS -> throw new IllegalStateException("the columns backend runs no oneDNN primitive");
        };
    }

    /**
     * Blocks of 16 channels where the input has one channel (the network's first layer, whose input oneDNN reads as it
     * lies) or a multiple of 16 (no padding); channels-last where blocks would pad the input channels (LeNet's
     * second conv, 20 channels).
     */
    static boolean blocked(int channels) {
        return channels == 1 || channels % 16 == 0;
    }
}
