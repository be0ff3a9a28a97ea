package dev.sparktrain.ops.layers;

import static dev.sparktrain.ops.layers.OneDnnBuilder.check;
import static dev.sparktrain.ops.layers.OneDnnBuilder.desc;
import static dev.sparktrain.ops.layers.OneDnnBuilder.trailingPad;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_avg_exclude_padding;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_max;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_workspace_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_u8;

import dev.sparktrain.ops.layers.OneDnnStep.Step;
import java.lang.ref.Cleaner;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One float pooling shape (a layer's window over a batch of a given size) run by oneDNN's pooling primitives on the
 * caller's NCHW arrays as they lie: max pooling's forward (which keeps, in a workspace, the position of each output's
 * maximum within its window, the first of equal values as {@link Pool2dLayer}'s own walk; {@link #maxima} reads them
 * for the layer's scatter), average pooling forward and backward over the window's positions inside the image
 * (oneDNN's {@code pooling_avg_exclude_padding}, as {@link Pool2d} defines it). Primitives are made once (backward's
 * on the first backward pass) and kept, as {@link OneDnnConvolution}'s. Not thread-safe: one per layer, like the
 * layer.
 */
final class OneDnnPooling {

    private static final Cleaner CLEANER = Cleaner.create();

    private final OneDnnBuilder build = new OneDnnBuilder();
    private final int algorithm;
    private final dnnl_memory_desc_t src;
    private final dnnl_memory_desc_t dst;
    private final long[] strides;
    private final long[] kernel;
    private final long[] left;
    private final long[] right;
    private final dnnl_primitive_desc forwardPd;
    private final Step forward;
    /** Max pooling: where forward leaves each output's position in its window for backward; null for average. */
    private final INDArray workspace;
    private final Patches patches;
    private byte[] workspaceBytes = new byte[0];
    /** For each position in the window (row-major), its offset in the input plane from the window's top left. */
    private final int[] tapOffsets;
    private Step backward;

    private OneDnnPooling(Patches patches, boolean max, int batch) {
        this.algorithm = max ? dnnl_pooling_max : dnnl_pooling_avg_exclude_padding;
        this.patches = patches;
        int kh = patches.window().kernel().h();
        int kw = patches.window().kernel().w();
        this.tapOffsets = new int[kh * kw];
        for (int tap = 0; tap < tapOffsets.length; tap++) {
            tapOffsets[tap] = tap / kw * patches.width() + tap % kw;
        }
        try {
            Window w = patches.window();
            src = desc(batch, patches.channels(), patches.height(), patches.width(), dnnl_nchw);
            dst = desc(batch, patches.channels(), patches.outHeight(), patches.outWidth(), dnnl_nchw);
            strides = new long[] {w.stride().h(), w.stride().w()};
            kernel = new long[] {w.kernel().h(), w.kernel().w()};
            left = new long[] {patches.padTop(), patches.padLeft()};
            right = new long[] {trailingPad(patches.height(), patches.outHeight(), strides[0], w.kernel().h(), 1,
                    left[0]), trailingPad(patches.width(), patches.outWidth(), strides[1], w.kernel().w(), 1, left[1])};
            dnnl_pooling_desc_t fd = new dnnl_pooling_desc_t();
            check(dnnl.dnnl_pooling_forward_desc_init(fd, dnnl_forward_training, algorithm, src, dst, strides, kernel,
                    left, right), "pooling's forward descriptor");
            forwardPd = build.descriptor(fd, null, "pooling's forward");
            dnnl_memory_desc_t ws = dnnl.dnnl_primitive_desc_query_md(forwardPd, dnnl_query_workspace_md, 0);
            boolean hasWorkspace = ws != null && !ws.isNull() && dnnl.dnnl_memory_desc_get_size(ws) > 0;
            workspace = hasWorkspace ? detached(dnnl.dnnl_memory_desc_get_size(ws)) : null;
            // Max pooling's backward reads the workspace (maxima): one byte per output in its NCHW order, the
            // row-major index of its maximum within the window, as oneDNN's implementations write it for windows of
            // under 256 positions. Any other workspace is refused, and the layer keeps to its own walk.
            if (max && !(hasWorkspace && dnnl.dnnl_memory_desc_equal(ws, desc(batch, patches.channels(),
                    patches.outHeight(), patches.outWidth(), dnnl_nchw, dnnl_u8)) != 0)) {
                throw new IllegalStateException("oneDNN: the max-pooling workspace is not one byte per output");
            }
            forward = build.step(forwardPd, new int[] {DNNL_ARG_SRC, DNNL_ARG_DST, DNNL_ARG_WORKSPACE},
                    new dnnl_memory_desc_t[] {src, dst, hasWorkspace ? ws : null}, new boolean[] {false, true, true},
                    null);
        } catch (RuntimeException e) {
            build.resources.run();
            throw e;
        }
        CLEANER.register(this, build.resources);
    }

    /** Bytes of native memory that live as long as this object, outside any ND4J workspace the caller is in. */
    private static INDArray detached(long bytes) {
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitialized(DataType.BYTE, bytes);
        }
    }

    /**
     * The primitives for {@code batch} samples of {@code patches}; {@code null} when libdnnl cannot be loaded or has no
     * implementation for the window (the caller then keeps its own path).
     */
    static OneDnnPooling create(Patches patches, boolean max, int batch) {
        if (!OneDnnBuilder.available()) {
            return null;
        }
        try {
            return new OneDnnPooling(patches, max, batch);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** The native array max pooling's forward leaves its maxima's positions in for backward (for tests), or null. */
    INDArray workspace() {
        return workspace;
    }

    /** y = pool(x), NCHW float arrays, row-major and contiguous; max pooling keeps the maxima's positions. */
    void forward(INDArray x, INDArray y) {
        forward.run(false, x, y, workspace);
    }

    /**
     * Max pooling: the flat NCHW input index of each output's maximum in the last forward pass, into {@code argmax}
     * (the first of equal values in the window, as the forward kernel keeps).
     */
    void maxima(int[] argmax) {
        int outputs = Math.toIntExact(workspace.length());
        if (workspaceBytes.length < outputs) {
            workspaceBytes = new byte[outputs];
        }
        ((BytePointer) workspace.data().addressPointer()).get(workspaceBytes, 0, outputs);
        int sh = patches.window().stride().h();
        int sw = patches.window().stride().w();
        int width = patches.width();
        int plane = patches.height() * width;
        int k = 0;
        for (int base = 0; k < outputs; base += plane) {
            for (int y = 0; y < patches.outHeight(); y++) {
                int rowStart = base + (y * sh - patches.padTop()) * width - patches.padLeft();
                for (int x = 0; x < patches.outWidth(); x++, k++) {
                    argmax[k] = rowStart + x * sw + tapOffsets[workspaceBytes[k] & 0xff];
                }
            }
        }
    }

    /** Average pooling: dLoss/dx of the last forward pass for dLoss/dy {@code dy}, into {@code dx} (overwritten). */
    void backward(INDArray dy, INDArray dx) {
        if (backward == null) {
            dnnl_pooling_desc_t bd = new dnnl_pooling_desc_t();
            check(dnnl.dnnl_pooling_backward_desc_init(bd, algorithm, src, dst, strides, kernel, left, right),
                    "pooling's backward descriptor");
            backward = build.step(build.descriptor(bd, forwardPd, "pooling's backward"),
                    new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC}, new dnnl_memory_desc_t[] {dst, src},
                    new boolean[] {false, true}, null);
        }
        backward.run(false, dy, dx);
    }
}
