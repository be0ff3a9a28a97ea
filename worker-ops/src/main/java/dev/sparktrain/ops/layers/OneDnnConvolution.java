package dev.sparktrain.ops.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu_use_dst_for_bwd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import dev.sparktrain.ops.layers.OneDnnStep.Address;
import dev.sparktrain.ops.layers.OneDnnStep.Kept;
import dev.sparktrain.ops.layers.OneDnnStep.Reorder;
import dev.sparktrain.ops.layers.OneDnnStep.Step;
import dev.sparktrain.ops.params.NativeFloats;
import java.lang.ref.Cleaner;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
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
    private static volatile Runtime runtime;

    private final OneDnnResources resources = new OneDnnResources();
    private final Runtime rt;
    private final int batch;
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
        this.rt = runtime();
        this.batch = batch;
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
            int status = dnnl.dnnl_primitive_desc_create(forwardPd, new const_dnnl_op_desc_t(fd), attr, rt.engine,
                    null);
            if (attr != null) {
                dnnl.dnnl_primitive_attr_destroy(attr);
            }
            check(status, "forward primitive descriptor");
            resources.descriptors.add(forwardPd);
            forward = step(forwardPd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST, DNNL_ARG_BIAS},
                    new dnnl_memory_desc_t[] {src, weights, dst, biasDesc}, new boolean[] {false, false, true, false},
                    null);
        } catch (RuntimeException e) {
            resources.run();
            throw e;
        }
        CLEANER.register(this, resources);
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
        if (!available()) {
            return null;
        }
        try {
            return new OneDnnConvolution(patches, filters, batch, bias, relu, layout);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** Whether libdnnl (and the OpenCL loader it links against) loads in this JVM. */
    static boolean available() {
        try {
            runtime();
            return true;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | IllegalStateException e) {
            return false;
        }
    }

    /** The batch size the primitives were made for. */
    int batch() {
        return batch;
    }

    /** y = conv(x, W) + b, through ReLU when made with it; all NCHW/OIHW float arrays, row-major. */
    void forward(INDArray x, INDArray w, INDArray b, INDArray y) {
        forward.run(false, x, w, y, bias ? b : null);
        forwardInput = x;
    }

    /**
     * The backward pass of the last forward one (input {@code x}, output {@code y}) for dLoss/dy {@code dy}: dz = dy
     * masked by ReLU's derivative (when made with ReLU; {@code dz} is then written, else it must be dy itself), dW and
     * db (when made with a bias) overwritten, and dLoss/dx into {@code dx} unless it is null.
     */
    void backward(INDArray x, INDArray y, INDArray dy, INDArray dz, INDArray w, INDArray dw, INDArray db,
                  INDArray dx) {
        if (relu) {
            if (reluGradient == null) {
                reluGradient = reluGradientStep();
            }
            reluGradient.run(false, y, dy, dz);
        }
        if (weightGradient == null) {
            dnnl_convolution_desc_t wd = new dnnl_convolution_desc_t();
            check(dnnl.dnnl_dilated_convolution_backward_weights_desc_init(wd, dnnl_convolution_direct, convSrc,
                    convWeights, biasDesc, convDst, strides, dilates, left, right), "backward-weights descriptor");
            weightGradient = step(descriptor(wd, forwardPd, "backward-weights"),
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
            inputGradient = step(descriptor(dd, forwardPd, "backward-data"),
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
        dnnl_primitive_desc hint = descriptor(ef, null, "ReLU");
        dnnl_eltwise_desc_t eb = new dnnl_eltwise_desc_t();
        check(dnnl.dnnl_eltwise_backward_desc_init(eb, dnnl_eltwise_relu_use_dst_for_bwd, dst, dst, 0f, 0f),
                "ReLU backward descriptor");
        return step(descriptor(eb, hint, "ReLU backward"), new int[] {DNNL_ARG_DST, DNNL_ARG_DIFF_DST,
                DNNL_ARG_DIFF_SRC}, new dnnl_memory_desc_t[] {dst, dst, dst}, new boolean[] {false, false, true}, null);
    }

    private dnnl_primitive_desc descriptor(Pointer opDesc, dnnl_primitive_desc hint, String what) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl.dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(opDesc), null, rt.engine, hint),
                what + " primitive descriptor");
        resources.descriptors.add(pd);
        return pd;
    }

    /** Whether an array can be handed to oneDNN as it lies: float32, row-major and contiguous. */
    static boolean plain(INDArray a) {
        return a != null && a.dataType() == DataType.FLOAT && NativeFloats.contiguousRowMajor(a);
    }

    /**
     * A primitive of {@code pd} whose arguments are the caller's arrays laid out as {@code descs}; where the primitive
     * wants another layout for an input, a kept buffer in that layout and a reorder into it, for an output
     * ({@code outputs}) one out of it. An input whose layout {@code earlier} (a step run before this one in the same
     * pass) already reorders the same argument into shares that step's buffer, and its reorder is skipped when the
     * caller says the buffer still holds the array.
     */
    private Step step(dnnl_primitive_desc pd, int[] args, dnnl_memory_desc_t[] descs, boolean[] outputs,
                      Step earlier) {
        dnnl_primitive primitive = new dnnl_primitive();
        check(dnnl.dnnl_primitive_create(primitive, pd), "primitive");
        resources.primitives.add(primitive);
        int used = 0;
        for (dnnl_memory_desc_t d : descs) {
            used += d == null ? 0 : 1;
        }
        dnnl_exec_arg_t exec = new dnnl_exec_arg_t(used);
        resources.pointers.add(exec);
        Step step = new Step(primitive, exec, new dnnl_memory[descs.length], used, rt.stream(resources));
        int i = 0;
        for (int a = 0; a < descs.length; a++) {
            if (descs[a] == null) {
                continue;
            }
            dnnl_memory user = memory(descs[a], null);
            step.memories[a] = user;
            dnnl_memory_desc_t wanted = dnnl.dnnl_primitive_desc_query_md(pd, dnnl.dnnl_query_exec_arg_md, args[a]);
            dnnl_memory bound = user;
            if (wanted != null && !wanted.isNull() && dnnl.dnnl_memory_desc_equal(wanted, descs[a]) == 0) {
                Kept shared = outputs[a] || earlier == null ? null : earlier.kept.get(args[a]);
                if (shared != null && dnnl.dnnl_memory_desc_equal(shared.desc(), wanted) != 0) {
                    bound = shared.memory();
                    step.before.add(reorder(descs[a], user, wanted, bound, true));
                } else {
                    Address allocate = new Address();
                    allocate.allocateByLibrary();
                    bound = memory(wanted, allocate);
                    Reorder reorder = outputs[a] ? reorder(wanted, bound, descs[a], user, false)
                            : reorder(descs[a], user, wanted, bound, false);
                    (outputs[a] ? step.after : step.before).add(reorder);
                    step.kept.put(args[a], new Kept(wanted, bound));
                }
            }
            exec.position(i).arg(args[a]).memory(bound);
            i++;
        }
        exec.position(0);
        return step;
    }

    private dnnl_memory memory(dnnl_memory_desc_t md, Pointer handle) {
        dnnl_memory memory = new dnnl_memory();
        check(dnnl.dnnl_memory_create(memory, md, rt.engine, handle), "memory");
        resources.memories.add(memory);
        return memory;
    }

    private Reorder reorder(dnnl_memory_desc_t fromDesc, dnnl_memory from, dnnl_memory_desc_t toDesc, dnnl_memory to,
                            boolean shared) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl.dnnl_reorder_primitive_desc_create(pd, fromDesc, rt.engine, toDesc, rt.engine, null), "reorder");
        resources.descriptors.add(pd);
        dnnl_primitive primitive = new dnnl_primitive();
        check(dnnl.dnnl_primitive_create(primitive, pd), "reorder primitive");
        resources.primitives.add(primitive);
        dnnl_exec_arg_t exec = new dnnl_exec_arg_t(2);
        resources.pointers.add(exec);
        exec.position(0).arg(DNNL_ARG_FROM).memory(from);
        exec.position(1).arg(DNNL_ARG_TO).memory(to);
        exec.position(0);
        return new Reorder(primitive, exec, shared);
    }

    private static long trailingPad(int in, int out, long stride, int kernel, int dilation, long lead) {
        return (out - 1) * stride + (long) dilation * (kernel - 1) + 1 - in - lead;
    }

    private static dnnl_memory_desc_t desc(long a, long b, long c, long d, int tag) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl.dnnl_memory_desc_init_by_tag(md, 4, new long[] {a, b, c, d}, dnnl_f32, tag), "memory descriptor");
        return md;
    }

    private static dnnl_memory_desc_t vector(long n) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl.dnnl_memory_desc_init_by_tag(md, 1, new long[] {n}, dnnl_f32, dnnl_a), "memory descriptor");
        return md;
    }

    private static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN: creating the convolution's " + what + " failed, status " + status);
        }
    }

    private static Runtime runtime() {
        Runtime rt = runtime;
        if (rt == null) {
            synchronized (OneDnnConvolution.class) {
                rt = runtime;
                if (rt == null) {
                    Loader.load(dnnl.class);
                    dnnl_engine engine = new dnnl_engine();
                    check(dnnl.dnnl_engine_create(engine, dnnl_cpu, 0), "engine");
                    rt = new Runtime(engine);
                    runtime = rt;
                }
            }
        }
        return rt;
    }

    /** The process's CPU engine (thread-safe in oneDNN; streams are per object). */
    private record Runtime(dnnl_engine engine) {
        dnnl_stream stream(OneDnnResources owner) {
            if (owner.stream == null) {
                dnnl_stream s = new dnnl_stream();
                check(dnnl.dnnl_stream_create(s, engine, dnnl_stream_default_flags), "stream");
                owner.stream = s;
            }
            return owner.stream;
        }
    }
}
