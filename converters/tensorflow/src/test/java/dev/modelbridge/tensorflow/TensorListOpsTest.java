package dev.modelbridge.tensorflow;

import static dev.modelbridge.tensorflow.TinyGraphs.op;
import static dev.modelbridge.tensorflow.TinyGraphs.placeholder;
import static org.tensorflow.proto.DataType.DT_FLOAT;
import static org.tensorflow.proto.DataType.DT_INT32;

import dev.modelbridge.tensorflow.TfVsOrt.Feed;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.GraphDef;

/**
 * TensorList ops outside loops against TensorFlow Java: lists grown by PushBack from an empty list,
 * written out of order into a reserved list whose batch dimension is unknown (the unwritten item
 * stacks as zeros), read by GetItem and Gather, and their length.
 */
class TensorListOpsTest {
  @TempDir
  Path dir;

  @Test
  void listsMatchTensorFlow() throws Exception {
    GraphDef g = GraphDef.newBuilder()
        .addNode(placeholder("x", 2, 3))
        .addNode(op("neg", "Neg", List.of("x"), "T", DT_FLOAT))
        .addNode(TinyGraphs.int32s("shape", new long[] {2}, -1, 3))
        .addNode(TinyGraphs.int32("none", -1))
        .addNode(op("empty", "EmptyTensorList", List.of("shape", "none"), "element_dtype", DT_FLOAT,
            "shape_type", DT_INT32))
        .addNode(op("p1", "TensorListPushBack", List.of("empty", "x"), "element_dtype", DT_FLOAT))
        .addNode(op("p2", "TensorListPushBack", List.of("p1", "neg"), "element_dtype", DT_FLOAT))
        .addNode(op("len", "TensorListLength", List.of("p2")))
        .addNode(op("pushed", "TensorListStack", List.of("p2", "shape"), "element_dtype", DT_FLOAT,
            "num_elements", -1))
        .addNode(TinyGraphs.int32("one", 1))
        .addNode(op("item", "TensorListGetItem", List.of("p2", "one", "shape"), "element_dtype", DT_FLOAT))
        .addNode(TinyGraphs.int32s("order", new long[] {2}, 1, 0))
        .addNode(op("gathered", "TensorListGather", List.of("p2", "order", "shape"), "element_dtype", DT_FLOAT))
        .addNode(TinyGraphs.int32("three", 3))
        .addNode(op("reserved", "TensorListReserve", List.of("shape", "three"), "element_dtype", DT_FLOAT,
            "shape_type", DT_INT32))
        .addNode(TinyGraphs.int32("two", 2))
        .addNode(TinyGraphs.int32("zero", 0))
        .addNode(op("s1", "TensorListSetItem", List.of("reserved", "two", "x"), "element_dtype", DT_FLOAT))
        .addNode(op("s2", "TensorListSetItem", List.of("s1", "zero", "neg"), "element_dtype", DT_FLOAT))
        .addNode(op("written", "TensorListStack", List.of("s2", "shape"), "element_dtype", DT_FLOAT,
            "num_elements", 3))
        .addNode(op("written_len", "TensorListLength", List.of("s2")))
        .build();
    TfVsOrt.check(dir, g, List.of(Feed.floats("x", 2, 3)), "pushed", "len", "item", "gathered", "written",
        "written_len");
  }
}
