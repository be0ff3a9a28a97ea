package dev.sparktrain.ops.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import dev.sparktrain.ops.layers.OneDnnStep.Address;
import dev.sparktrain.ops.layers.OneDnnStep.Kept;
import dev.sparktrain.ops.layers.OneDnnStep.Reorder;
import dev.sparktrain.ops.layers.OneDnnStep.Step;
import dev.sparktrain.ops.params.NativeFloats;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What builds one object's oneDNN primitives ({@link OneDnnConvolution}, {@link OneDnnPooling}) through the JavaCPP
 * preset of libdnnl: primitive descriptors, memory objects, reorders and the {@link Step}s that run them, all recorded
 * in the owner's {@link OneDnnResources} (released by the owner's cleaner); and the process's CPU engine.
 */
final class OneDnnBuilder {

    private static volatile Runtime runtime;

    final OneDnnResources resources = new OneDnnResources();
    final Runtime rt = runtime();

    /** Whether libdnnl (and the OpenCL loader it links against) loads in this JVM. */
    static boolean available() {
        try {
            runtime();
            return true;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | IllegalStateException e) {
            return false;
        }
    }

    /**
     * The primitive descriptor of {@code opDesc} (an operation descriptor), with {@code hint} (a forward one) for a
     * backward operation.
     */
    dnnl_primitive_desc descriptor(Pointer opDesc, dnnl_primitive_desc hint, String what) {
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
    Step step(dnnl_primitive_desc pd, int[] args, dnnl_memory_desc_t[] descs, boolean[] outputs,
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

    dnnl_memory memory(dnnl_memory_desc_t md, Pointer handle) {
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

    /** The padding after the last row or column that makes {@code out} positions of the window fit {@code in}. */
    static long trailingPad(int in, int out, long stride, int kernel, int dilation, long lead) {
        return (out - 1) * stride + (long) dilation * (kernel - 1) + 1 - in - lead;
    }

    /** A 4-D float memory descriptor of the given dimensions in the layout of {@code tag}. */
    static dnnl_memory_desc_t desc(long a, long b, long c, long d, int tag) {
        return desc(a, b, c, d, tag, dnnl_f32);
    }

    /** A 4-D memory descriptor of the given dimensions and data type in the layout of {@code tag}. */
    static dnnl_memory_desc_t desc(long a, long b, long c, long d, int tag, int dataType) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl.dnnl_memory_desc_init_by_tag(md, 4, new long[] {a, b, c, d}, dataType, tag), "memory descriptor");
        return md;
    }

    /** A 1-D float memory descriptor. */
    static dnnl_memory_desc_t vector(long n) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl.dnnl_memory_desc_init_by_tag(md, 1, new long[] {n}, dnnl_f32, dnnl_a), "memory descriptor");
        return md;
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN: creating the " + what + " failed, status " + status);
        }
    }

    private static Runtime runtime() {
        Runtime rt = runtime;
        if (rt == null) {
            synchronized (OneDnnBuilder.class) {
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
    record Runtime(dnnl_engine engine) {
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
