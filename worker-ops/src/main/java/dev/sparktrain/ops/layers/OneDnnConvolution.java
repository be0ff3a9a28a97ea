package dev.sparktrain.ops.layers;

import static dev.sparktrain.ops.layers.OneDnnBuilder.check;
import static dev.sparktrain.ops.layers.OneDnnBuilder.desc;
import static dev.sparktrain.ops.layers.OneDnnBuilder.trailingPad;
import static dev.sparktrain.ops.layers.OneDnnBuilder.vector;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu_use_dst_for_bwd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;

import dev.sparktrain.ops.layers.OneDnnStep.Step;
import java.lang.ref.Cleaner;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.global.dnnl;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One float convolution shape (a layer's window over a batch of a given size) run by oneDNN's own primitives, through
 * the JavaCPP preset of libdnnl: forward (bias and ReLU fused, as a post-op), ReLU's derivative against the output,
 * backward-data and backward-weights (with the bias gradient). The caller's arrays are NCHW activations and OIHW
 * weights; inside, the activations are in the chosen {@link Layout} and the weights in whatever layout oneDNN prefers,
 * with reorders into kept buffers (x's copy made for forward serves backward-weights, dz's made for backward-weights
 * serves backward-data).
 *
 * <p>oneDNN compiles its kernels when a primitive is created, which costs far more than running one: every primitive
 * here is created once (forward when this object is built, the backward ones on the first backward pass, which an
 * evaluation network never runs; backward-data on first use, as the network's first layer never asks for it), and kept
 * with its memory objects, whose data handles are pointed at the caller's arrays on each call.
 * The primitives run on the calling thread's OpenMP team ({@code OMP_NUM_THREADS}, one thread per worker as ND4J's).
 * Native resources are released when the object becomes unreachable. Not thread-safe: one per layer, like the layer.
 */
final class OneDnnConvolution {

    private static final Cleaner CLEANER = Cleaner.create();

    private final OneDnnBuilder build = new OneDnnBuilder();
    private final boolean bias;
    private final boolean relu;
    private final dnnl_memory_desc_t src;
    private final dnnl_memory_desc_t weights;
    private final dnnl_memory_desc_t biasDesc;
    private final dnnl_memory_desc_t dst;
    private final dnnl_memory_desc_t convSrc;
    private final dnnl_memory_desc_t convWeights;
    private final dnnl_memory_desc_t convDst;
    private final long[] strides;
    private final long[] dilates;
    private final long[] left;
    private final long[] right;
    private final dnnl_primitive_desc forwardPd;
    private final Step forward;
    private Step reluGradient;
    private Step weightGradient;
    private Step inputGradient;
    /** The input of the last forward pass, whose reordered copy the forward step keeps. */
    private INDArray forwardInput;

    private OneDnnConvolution(Patches patches, int filters, int batch, boolean bias, boolean relu, Layout layout) {
        this.bias = bias;
        this.relu = relu;
        try {
            int channels = patches.channels();
            int kh = patches.window().kernel().h();
            int kw = patches.window().kernel().w();
            src = desc(batch, channels, patches.height(), patches.width(), dnnl_nchw);
            weights = desc(filters, channels, kh, kw, dnnl_oihw);
            biasDesc = bias ? vector(filters) : null;
            dst = desc(batch, filters, patches.outHeight(), patches.outWidth(), dnnl_nchw);
            // What the convolution descriptors ask for: the arrays' own layouts, or the layout chosen for the
            // activations and any weights layout oneDNN prefers (the steps then reorder between the two).
            int activations = switch (layout) {
                case NCHW -> dnnl_nchw;
                case NHWC -> dnnl_nhwc;
                case BLOCKED -> dnnl_format_tag_any;
            };
            convSrc = desc(batch, channels, patches.height(), patches.width(), activations);
            convWeights = layout == Layout.NCHW ? weights : desc(filters, channels, kh, kw, dnnl_format_tag_any);
            convDst = desc(batch, filters, patches.outHeight(), patches.outWidth(), activations);
            strides = new long[] {patches.window().stride().h(), patches.window().stride().w()};
            dilates = new long[] {patches.window().dilation().h() - 1, patches.window().dilation().w() - 1};
            left = new long[] {patches.padTop(), patches.padLeft()};
            right = new long[] {trailingPad(patches.height(), patches.outHeight(), strides[0], kh,
                    patches.window().dilation().h(), left[0]), trailingPad(patches.width(), patches.outWidth(),
                    strides[1], kw, patches.window().dilation().w(), left[1])};

            dnnl_convolution_desc_t fd = new dnnl_convolution_desc_t();
            check(dnnl.dnnl_dilated_convolution_forward_desc_init(fd, dnnl_forward_training, dnnl_convolution_direct,
                    convSrc, convWeights, biasDesc, convDst, strides, dilates, left, right), "forward descriptor");
            dnnl_primitive_attr attr = null;
            if (relu) {
                dnnl_post_ops ops = new dnnl_post_ops();
                check(dnnl.dnnl_post_ops_create(ops), "post-ops");
                check(dnnl.dnnl_post_ops_append_eltwise(ops, 1f, dnnl_eltwise_relu, 0f, 0f), "ReLU post-op");
                attr = new dnnl_primitive_attr();
                check(dnnl.dnnl_primitive_attr_create(attr), "attributes");
                check(dnnl.dnnl_primitive_attr_set_post_ops(attr, ops), "attributes' post-ops");
                check(dnnl.dnnl_post_ops_destroy(ops), "post-ops");
            }
            forwardPd = new dnnl_primitive_desc();
            int status = dnnl.dnnl_primitive_desc_create(forwardPd, new const_dnnl_op_desc_t(fd), attr,
                    build.rt.engine(), null);
            if (attr != null) {
                dnnl.dnnl_primitive_attr_destroy(attr);
            }
            check(status, "forward primitive descriptor");
            build.resources.descriptors.add(forwardPd);
            forward = build.step(forwardPd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST, DNNL_ARG_BIAS},
                    new dnnl_memory_desc_t[] {src, weights, dst, biasDesc}, new boolean[] {false, false, true, false},
                    null);
        } catch (RuntimeException e) {
            build.resources.run();
            throw e;
        }
        CLEANER.register(this, build.resources);
    }

    /** The activations' layout inside the primitives (the arrays outside are NCHW whatever it is). */
    enum Layout {
        /** The arrays' own: no reorders. */
        NCHW,
        /** Channels last. */
        NHWC,
        /** Whatever oneDNN prefers: blocks of 16 channels on this CPU, padded to a multiple of 16. */
        BLOCKED
    }

    /**
     * The primitives for {@code batch} samples of {@code patches} into {@code filters} channels, their activations in
     * {@code layout} (reordered from and to the caller's NCHW arrays); {@code null} when libdnnl cannot be loaded or has
     * no implementation for the shape (the caller then keeps its own path).
     */
    static OneDnnConvolution create(Patches patches, int filters, int batch, boolean bias, boolean relu,
                                    Layout layout) {
        if (!OneDnnBuilder.available()) {
            return null;
        }
        try {
            return new OneDnnConvolution(patches, filters, batch, bias, relu, layout);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** y = conv(x, W) + b, through ReLU when made with it; all NCHW/OIHW float arrays, row-major. */
    void forward(INDArray x, INDArray w, INDArray b, INDArray y) {
        forward.run(false, x, w, y, bias ? b : null);
        forwardInput = x;
    }

    /**
     * The backward pass of the last forward one (input {@code x}, output {@code y}) for dLoss/dy {@code dy}: dz = dy
     * masked by ReLU's derivative (when made with ReLU and {@code dz} is another array, which is then written; else
     * {@code dz} must be dy itself, which is then dLoss/dz as it stands), dW and db (when made with a bias)
     * overwritten, and dLoss/dx into {@code dx} unless it is null.
     */
    void backward(INDArray x, INDArray y, INDArray dy, INDArray dz, INDArray w, INDArray dw, INDArray db,
                  INDArray dx) {
        if (relu && dz != dy) {
            if (reluGradient == null) {
                reluGradient = reluGradientStep();
            }
            reluGradient.run(false, y, dy, dz);
        }
        if (weightGradient == null) {
            dnnl_convolution_desc_t wd = new dnnl_convolution_desc_t();
            check(dnnl.dnnl_dilated_convolution_backward_weights_desc_init(wd, dnnl_convolution_direct, convSrc,
                    convWeights, biasDesc, convDst, strides, dilates, left, right), "backward-weights descriptor");
            weightGradient = build.step(build.descriptor(wd, forwardPd, "backward-weights"),
                    new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS, DNNL_ARG_DIFF_BIAS},
                    new dnnl_memory_desc_t[] {src, dst, weights, biasDesc}, new boolean[] {false, false, true, true},
                    forward);
        }
        // The forward step's reordered copy of x is still x's when x is the last forward input.
        weightGradient.run(x == forwardInput, x, dz, dw, bias ? db : null);
        if (dx == null) {
            return;
        }
        if (inputGradient == null) {
            dnnl_convolution_desc_t dd = new dnnl_convolution_desc_t();
            check(dnnl.dnnl_dilated_convolution_backward_data_desc_init(dd, dnnl_convolution_direct, convSrc,
                    convWeights, convDst, strides, dilates, left, right), "backward-data descriptor");
            inputGradient = build.step(build.descriptor(dd, forwardPd, "backward-data"),
                    new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC},
                    new dnnl_memory_desc_t[] {dst, weights, src}, new boolean[] {false, false, true}, weightGradient);
        }
        // dz was just reordered by the weight gradient's step.
        inputGradient.run(true, dz, w, dx);
    }

    private Step reluGradientStep() {
        dnnl_eltwise_desc_t ef = new dnnl_eltwise_desc_t();
        check(dnnl.dnnl_eltwise_forward_desc_init(ef, dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd, dst,
                0f, 0f), "ReLU descriptor");
        dnnl_primitive_desc hint = build.descriptor(ef, null, "ReLU");
        dnnl_eltwise_desc_t eb = new dnnl_eltwise_desc_t();
        check(dnnl.dnnl_eltwise_backward_desc_init(eb, dnnl_eltwise_relu_use_dst_for_bwd, dst, dst, 0f, 0f),
                "ReLU backward descriptor");
        return build.step(build.descriptor(eb, hint, "ReLU backward"), new int[] {DNNL_ARG_DST, DNNL_ARG_DIFF_DST,
                DNNL_ARG_DIFF_SRC}, new dnnl_memory_desc_t[] {dst, dst, dst}, new boolean[] {false, false, true}, null);
    }

}
