package dev.sparktrain.ops.layers;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Pointer;

/** What the primitives hold natively; released by the cleaner once the owner is unreachable. */
final class OneDnnResources implements Runnable {
    final List<dnnl_primitive_desc> descriptors = new ArrayList<>();
    final List<dnnl_primitive> primitives = new ArrayList<>();
    final List<dnnl_memory> memories = new ArrayList<>();
    final List<Pointer> pointers = new ArrayList<>();
    dnnl_primitive_desc pendingInputGradient;
    dnnl_memory_desc_t srcDesc;
    dnnl_memory_desc_t weightsDesc;
    dnnl_memory_desc_t dstDesc;
    dnnl_stream stream;

    @Override
    public void run() {
        for (dnnl_primitive p : primitives) {
            dnnl.dnnl_primitive_destroy(p);
        }
        for (dnnl_memory m : memories) {
            dnnl.dnnl_memory_destroy(m);
        }
        for (dnnl_primitive_desc d : descriptors) {
            dnnl.dnnl_primitive_desc_destroy(d);
        }
        if (stream != null) {
            dnnl.dnnl_stream_destroy(stream);
        }
        primitives.clear();
        memories.clear();
        descriptors.clear();
    }
}
