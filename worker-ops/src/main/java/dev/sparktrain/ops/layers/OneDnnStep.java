package dev.sparktrain.ops.layers;

import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What runs a {@link OneDnnConvolution}'s primitive: the primitive with its memory objects, pointed at the caller's
 * arrays on each run, and the reorders into and out of the buffers it keeps in oneDNN's own layouts.
 */
final class OneDnnStep {

    private OneDnnStep() {
    }

    /**
     * A reorder between a caller's array and a kept buffer; {@code shared} when the buffer is an earlier step's, which
     * may already hold the array.
     */
    record Reorder(dnnl_primitive primitive, dnnl_exec_arg_t exec, boolean shared) {
    }

    /** An argument's buffer in the primitive's own layout. */
    record Kept(dnnl_memory_desc_t desc, dnnl_memory memory) {
    }

    /** One primitive with its memory objects, pointed at the caller's arrays on each run, and its reorders. */
    static final class Step {
        final dnnl_memory[] memories;
        final List<Reorder> before = new ArrayList<>();
        final List<Reorder> after = new ArrayList<>();
        final Map<Integer, Kept> kept = new HashMap<>();
        private final dnnl_primitive primitive;
        private final dnnl_exec_arg_t exec;
        private final int args;
        private final dnnl_stream stream;
        private final Address address = new Address();

        Step(dnnl_primitive primitive, dnnl_exec_arg_t exec, dnnl_memory[] memories, int args, dnnl_stream stream) {
            this.primitive = primitive;
            this.exec = exec;
            this.memories = memories;
            this.args = args;
            this.stream = stream;
        }

        /** Runs the primitive on {@code arrays} (one per argument, null where it has none), reusing shared buffers. */
        void run(boolean sharedFresh, INDArray... arrays) {
            for (int a = 0; a < memories.length; a++) {
                if (memories[a] == null) {
                    continue;
                }
                INDArray array = arrays[a];
                if (array == null) {
                    throw new IllegalArgumentException("oneDNN: argument " + a + " missing");
                }
                address.at(array);
                runChecked(dnnl.dnnl_memory_set_data_handle(memories[a], address), "setting a data handle");
            }
            for (Reorder r : before) {
                if (!(r.shared() && sharedFresh)) {
                    runChecked(dnnl.dnnl_primitive_execute(r.primitive(), stream, 2, r.exec()), "reordering an input");
                }
            }
            runChecked(dnnl.dnnl_primitive_execute(primitive, stream, args, exec), "executing a primitive");
            for (Reorder r : after) {
                runChecked(dnnl.dnnl_primitive_execute(r.primitive(), stream, 2, r.exec()), "reordering an output");
            }
            runChecked(dnnl.dnnl_stream_wait(stream), "waiting for the stream");
        }

        private static void runChecked(int status, String what) {
            if (status != dnnl_success) {
                throw new IllegalStateException("oneDNN: " + what + " failed, status " + status);
            }
        }
    }

    /**
     * A pointer to an array's first element: its buffer's address (which already counts the buffer's own offset into
     * a parent buffer) plus whatever offset the array adds to that.
     */
    static final class Address extends Pointer {
        /** oneDNN's DNNL_MEMORY_ALLOCATE: the memory object allocates (and frees) its own buffer. */
        void allocateByLibrary() {
            address = -1L;
        }

        void at(INDArray a) {
            Pointer buffer = a.data().addressPointer();
            address = buffer.address() + buffer.position() * buffer.sizeof()
                    + (a.offset() - a.data().offset()) * a.dataType().width();
        }
    }
}
