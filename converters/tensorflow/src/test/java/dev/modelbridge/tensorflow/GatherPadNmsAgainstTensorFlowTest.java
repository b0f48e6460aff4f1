package dev.modelbridge.tensorflow;

import static dev.modelbridge.tensorflow.TinyGraphs.float1;
import static dev.modelbridge.tensorflow.TinyGraphs.floats;
import static dev.modelbridge.tensorflow.TinyGraphs.int32;
import static dev.modelbridge.tensorflow.TinyGraphs.int32s;
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
import org.tensorflow.proto.NodeDef;

/**
 * GatherV2 on an axis after the batch axes, MirrorPad SYMMETRIC and NonMaxSuppressionV5 (padded and
 * not) on tiny GraphDefs: TensorFlow Java runs them as the oracle, ONNX Runtime runs the conversion.
 */
class GatherPadNmsAgainstTensorFlowTest {
  @TempDir
  Path dir;

  private static GraphDef graph(NodeDef... nodes) {
    return GraphDef.newBuilder().addAllNode(List.of(nodes)).build();
  }

  private static NodeDef gather(String name, String params, String indices, String axis, long batchDims) {
    return op(name, "GatherV2", List.of(params, indices, axis), "Tparams", DT_FLOAT, "Tindices", DT_INT32,
        "Taxis", DT_INT32, "batch_dims", batchDims);
  }

  @Test
  void gatherOnAnAxisAfterTheBatchAxes() throws Exception {
    GraphDef g = graph(placeholder("x", 2, 3, 4, 5),
        int32s("idx", new long[] {2, 2}, 3, 0, 1, 1), int32s("idx3", new long[] {2, 3, 2}, 0, 4, 1, 1, 2, 3, 4, 0, 0, 0, 3, 2),
        int32("ax2", 2), int32("ax3", 3), int32("axm1", -1),
        gather("b1a2", "x", "idx", "ax2", 1),   // [2, 3, 2, 5]
        gather("b1a3", "x", "idx", "ax3", 1),   // [2, 3, 4, 2]
        gather("b2a3", "x", "idx3", "ax3", 2),  // [2, 3, 2]
        gather("bm1", "x", "idx3", "axm1", -1), // batch_dims -1 is 2: as b2a3
        gather("b1am1", "x", "idx", "axm1", 1));
    TfVsOrt.check(dir, g, List.of(Feed.floats("x", 2, 3, 4, 5)), "b1a2", "b1a3", "b2a3", "bm1", "b1am1");
  }

  @Test
  void mirrorPadSymmetric() throws Exception {
    GraphDef g = graph(placeholder("x", 2, 3, 4),
        int32s("pads", new long[] {3, 2}, 1, 2, 0, 3, 2, 0),
        op("sym", "MirrorPad", List.of("x", "pads"), "T", DT_FLOAT, "Tpaddings", DT_INT32, "mode", "SYMMETRIC"),
        int32s("pads2", new long[] {3, 2}, 0, 0, 3, 3, 4, 4),
        op("full", "MirrorPad", List.of("x", "pads2"), "T", DT_FLOAT, "Tpaddings", DT_INT32, "mode", "SYMMETRIC"));
    TfVsOrt.check(dir, g, List.of(Feed.floats("x", 2, 3, 4)), "sym", "full");
  }

  @Test
  void nonMaxSuppressionV5() throws Exception {
    float[] boxes = {0, 0, 1, 1, 0, 0.1f, 1, 1.1f, 0, -0.1f, 1, 0.9f, 0, 10, 1, 11, 0, 10.1f, 1, 11.1f, 0, 100, 1, 101};
    GraphDef g = graph(placeholder("scores", 6), floats("boxes", new long[] {6, 4}, boxes), int32("max", 5),
        float1("iou", 0.5f), float1("thr", 0.4f), float1("sigma", 0f),
        op("nms", "NonMaxSuppressionV5", List.of("boxes", "scores", "max", "iou", "thr", "sigma"), "T", DT_FLOAT,
            "pad_to_max_output_size", false),
        op("padded", "NonMaxSuppressionV5", List.of("boxes", "scores", "max", "iou", "thr", "sigma"), "T", DT_FLOAT,
            "pad_to_max_output_size", true),
        op("nms4", "NonMaxSuppressionV4", List.of("boxes", "scores", "max", "iou", "thr"), "T", DT_FLOAT,
            "pad_to_max_output_size", true));
    TfVsOrt.check(dir, g, List.of(new Feed("scores", new long[] {6}, new float[] {0.9f, 0.75f, 0.6f, 0.95f, 0.5f, 0.3f})),
        "nms", "nms:1", "nms:2", "padded", "padded:1", "padded:2", "nms4", "nms4:1");
  }
}
