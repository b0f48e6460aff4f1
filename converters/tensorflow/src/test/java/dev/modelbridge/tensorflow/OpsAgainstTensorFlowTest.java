package dev.modelbridge.tensorflow;

import static dev.modelbridge.tensorflow.TinyGraphs.float1;
import static dev.modelbridge.tensorflow.TinyGraphs.floats;
import static dev.modelbridge.tensorflow.TinyGraphs.int32;
import static dev.modelbridge.tensorflow.TinyGraphs.int32s;
import static dev.modelbridge.tensorflow.TinyGraphs.ints;
import static dev.modelbridge.tensorflow.TinyGraphs.op;
import static dev.modelbridge.tensorflow.TinyGraphs.placeholder;
import static org.tensorflow.proto.DataType.DT_BOOL;
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
 * The op families added for issue 4, each on a tiny GraphDef that TensorFlow Java runs as the
 * oracle and ONNX Runtime runs converted.
 */
class OpsAgainstTensorFlowTest {
  @TempDir
  Path dir;

  private static GraphDef graph(NodeDef... nodes) {
    return GraphDef.newBuilder().addAllNode(List.of(nodes)).build();
  }

  private static NodeDef unary(String name, String opName, String x) {
    return op(name, opName, List.of(x), "T", DT_FLOAT);
  }

  @Test
  void decomposedUnaryMath() throws Exception {
    GraphDef g = graph(placeholder("x", 2, 3),
        op("ax", "Abs", List.of("x"), "T", DT_FLOAT),
        unary("expm1", "Expm1", "x"), unary("log1p", "Log1p", "ax"), unary("erfc", "Erfc", "x"),
        unary("rint", "Rint", "x"), unary("isfin", "IsFinite", "x"),
        op("clip", "ClipByValue", List.of("x", "lo", "hi"), "T", DT_FLOAT), float1("lo", -0.5f), float1("hi", 0.7f),
        unary("l2", "L2Loss", "x"),
        op("dnn", "DivNoNan", List.of("x", "z"), "T", DT_FLOAT), floats("z", new long[] {3}, 0f, 2f, 0f),
        op("mod", "FloorMod", List.of("x", "c2"), "T", DT_FLOAT), float1("c2", 0.75f));
    TfVsOrt.check(dir, g, List.of(Feed.floats("x", 2, 3)), "expm1", "log1p", "erfc", "rint", "isfin", "clip", "l2",
        "dnn", "mod");
  }

  @Test
  void integerFloorDivRoundsTowardsMinusInfinity() throws Exception {
    GraphDef g = graph(placeholder("a", DT_INT32, 6), placeholder("b", DT_INT32, 6),
        op("q", "FloorDiv", List.of("a", "b"), "T", DT_INT32), op("r", "FloorMod", List.of("a", "b"), "T", DT_INT32),
        op("t", "TruncateMod", List.of("a", "b"), "T", DT_INT32));
    List<Feed> feeds = List.of(new Feed("a", new long[] {6}, new int[] {7, -7, 7, -7, 6, -6}),
        new Feed("b", new long[] {6}, new int[] {2, 2, -2, -2, 3, 4}));
    TfVsOrt.check(dir, g, feeds, "q", "r", "t");
  }

  @Test
  void reductionsAndScans() throws Exception {
    GraphDef g = graph(placeholder("x", 2, 3, 4),
        int32s("ax", new long[] {1}, 1), int32("a0", 0),
        op("gt", "Greater", List.of("x", "zero"), "T", DT_FLOAT), float1("zero", 0f),
        op("all", "All", List.of("gt", "ax"), "keep_dims", false),
        op("any", "Any", List.of("gt", "ax"), "keep_dims", true),
        op("norm", "EuclideanNorm", List.of("x", "ax"), "T", DT_FLOAT),
        op("cs", "Cumsum", List.of("x", "a0"), "T", DT_FLOAT, "exclusive", true, "reverse", true),
        op("band", "MatrixBandPart", List.of("x", "one", "zero_i"), "T", DT_FLOAT, "Tindex", DT_INT32),
        int32("one", 1), int32("zero_i", 0));
    TfVsOrt.check(dir, g, List.of(Feed.floats("x", 2, 3, 4)), "all", "any", "norm", "cs", "band");
  }

  @Test
  void slicingWithEveryMask() throws Exception {
    NodeDef ss1 = op("s1", "StridedSlice", List.of("x", "b1", "e1", "st1"), "T", DT_FLOAT, "Index", DT_INT32,
        "ellipsis_mask", 1, "new_axis_mask", 2, "shrink_axis_mask", 4);
    NodeDef ss2 = op("s2", "StridedSlice", List.of("x", "b2", "e2", "st2"), "T", DT_FLOAT, "Index", DT_INT32,
        "begin_mask", 1, "end_mask", 2, "shrink_axis_mask", 0);
    GraphDef g = graph(placeholder("x", 2, 3, 4),
        int32s("b1", new long[] {3}, 0, 0, 1), int32s("e1", new long[] {3}, 0, 0, 2), int32s("st1", new long[] {3}, 1, 1, 1),
        int32s("b2", new long[] {2}, 1, -1), int32s("e2", new long[] {2}, 0, 0), int32s("st2", new long[] {2}, 1, -1),
        ss1, ss2,
        op("sv", "SplitV", List.of("x", "sizes", "axis"), "T", DT_FLOAT, "Tlen", DT_INT32, "num_split", 2),
        int32s("sizes", new long[] {2}, 1, -1), int32("axis", 2),
        op("rev", "ReverseV2", List.of("x", "axes"), "T", DT_FLOAT, "Tidx", DT_INT32), int32s("axes", new long[] {2}, 0, 2),
        op("bt", "BroadcastTo", List.of("row", "shape"), "T", DT_FLOAT, "Tidx", DT_INT32),
        floats("row", new long[] {4}, 1, 2, 3, 4), int32s("shape", new long[] {2}, 3, 4),
        op("rank", "Rank", List.of("x"), "T", DT_FLOAT));
    TfVsOrt.check(dir, g, List.of(Feed.floats("x", 2, 3, 4)), "s1", "s2", "sv", "sv:1", "rev", "bt", "rank");
  }

  @Test
  void gathersScattersOneHotTopK() throws Exception {
    GraphDef g = graph(placeholder("x", 2, 3, 4),
        int32s("idx", new long[] {2, 2}, 2, 0, 1, 1), int32("ax1", 1),
        op("gb", "GatherV2", List.of("x", "idx", "ax1"), "Tparams", DT_FLOAT, "Tindices", DT_INT32, "Taxis", DT_INT32,
            "batch_dims", 1),
        int32s("nd", new long[] {2, 2}, 1, 2, 0, 1),
        op("gnd", "GatherNd", List.of("x", "nd"), "Tparams", DT_FLOAT, "Tindices", DT_INT32),
        int32s("labels", new long[] {3}, 0, 2, 1), int32("depth", 3), float1("on", 5f), float1("off", -1f),
        op("oh", "OneHot", List.of("labels", "depth", "on", "off"), "T", DT_FLOAT, "TI", DT_INT32, "axis", -1),
        int32("k", 2),
        op("top", "TopKV2", List.of("x", "k"), "T", DT_FLOAT, "sorted", true),
        op("pos", "Greater", List.of("x", "zero"), "T", DT_FLOAT), float1("zero", 0f),
        op("wh", "Where", List.of("pos"), "T", DT_BOOL),
        op("sc", "ScatterNd", List.of("sidx", "upd", "sshape"), "T", DT_FLOAT, "Tindices", DT_INT32),
        int32s("sidx", new long[] {3, 1}, 1, 3, 1), floats("upd", new long[] {3}, 1, 2, 4), int32s("sshape", new long[] {1}, 5));
    TfVsOrt.check(dir, g, List.of(Feed.floats("x", 2, 3, 4)), "gb", "gnd", "oh", "top", "top:1", "wh", "sc");
  }

  @Test
  void threeDimensionalAndTransposedConvolution() throws Exception {
    GraphDef g = graph(placeholder("v", 1, 4, 4, 4, 2), placeholder("x", 1, 5, 5, 3),
        floats("k3", new long[] {2, 2, 2, 2, 3}, 0.1f, -0.2f, 0.3f, 0.05f),
        op("c3", "Conv3D", List.of("v", "k3"), "T", DT_FLOAT, "strides", ints(1, 1, 2, 1, 1), "padding", "SAME"),
        op("p3", "MaxPool3D", List.of("c3"), "T", DT_FLOAT, "ksize", ints(1, 2, 2, 2, 1), "strides", ints(1, 2, 2, 2, 1),
            "padding", "VALID"),
        floats("kt", new long[] {3, 3, 2, 3}, 0.2f, -0.1f, 0.4f),
        int32s("osize", new long[] {4}, 1, 10, 10, 2),
        op("ct", "Conv2DBackpropInput", List.of("osize", "kt", "x"), "T", DT_FLOAT, "strides", ints(1, 2, 2, 1),
            "padding", "SAME"),
        floats("ke", new long[] {2, 2, 3, 4}, 0.3f, 0.1f, -0.2f),
        op("ce", "Conv2D", List.of("x", "ke"), "T", DT_FLOAT, "strides", ints(1, 1, 1, 1), "padding", "EXPLICIT",
            "explicit_paddings", ints(0, 0, 1, 0, 2, 1, 0, 0)),
        op("d2s", "DepthToSpace", List.of("ce"), "T", DT_FLOAT, "block_size", 2),
        op("s2d", "SpaceToDepth", List.of("d2s"), "T", DT_FLOAT, "block_size", 2),
        int32s("size", new long[] {2}, 7, 9),
        op("rb", "ResizeBilinear", List.of("x", "size"), "T", DT_FLOAT, "half_pixel_centers", true),
        op("rba", "ResizeBilinear", List.of("x", "size"), "T", DT_FLOAT, "align_corners", true),
        op("rn", "ResizeNearestNeighbor", List.of("x", "size"), "T", DT_FLOAT, "half_pixel_centers", true),
        op("rn0", "ResizeNearestNeighbor", List.of("x", "size"), "T", DT_FLOAT));
    TfVsOrt.check(dir, g, List.of(Feed.floats("v", 1, 4, 4, 4, 2), Feed.floats("x", 1, 5, 5, 3)),
        "c3", "p3", "ct", "ce", "d2s", "s2d", "rb", "rba", "rn", "rn0");
  }

  @Test
  void kerasPatternsConv1dSeparablePadsTileRangeEinsum() throws Exception {
    GraphDef g = graph(placeholder("x", 1, 6, 3), placeholder("img", 1, 5, 5, 2),
        // Keras Conv1D: ExpandDims, Conv2D, Squeeze
        int32("one", 1),
        op("ex", "ExpandDims", List.of("x", "one"), "T", DT_FLOAT, "Tdim", DT_INT32),
        floats("k1", new long[] {1, 3, 3, 2}, 0.2f, -0.3f, 0.1f),
        op("c", "Conv2D", List.of("ex", "k1"), "T", DT_FLOAT, "strides", ints(1, 1, 1, 1), "padding", "VALID"),
        op("conv1d", "Squeeze", List.of("c"), "T", DT_FLOAT, "squeeze_dims", ints(1)),
        // SeparableConv2D: depthwise then pointwise
        floats("dk", new long[] {3, 3, 2, 2}, 0.1f, 0.2f, -0.1f),
        op("dw", "DepthwiseConv2dNative", List.of("img", "dk"), "T", DT_FLOAT, "strides", ints(1, 1, 1, 1),
            "padding", "SAME"),
        floats("pk", new long[] {1, 1, 4, 3}, 0.3f, -0.2f, 0.5f),
        op("sep", "Conv2D", List.of("dw", "pk"), "T", DT_FLOAT, "strides", ints(1, 1, 1, 1), "padding", "VALID"),
        int32s("pads", new long[] {3, 2}, 0, 0, 1, 2, 2, 1),
        op("pad", "Pad", List.of("x", "pads"), "T", DT_FLOAT, "Tpaddings", DT_INT32),
        op("mpad", "MirrorPad", List.of("x", "pads"), "T", DT_FLOAT, "Tpaddings", DT_INT32, "mode", "REFLECT"),
        int32s("reps", new long[] {3}, 2, 1, 2),
        op("tile", "Tile", List.of("x", "reps"), "T", DT_FLOAT, "Tmultiples", DT_INT32),
        int32s("dims", new long[] {2}, 2, 3), float1("seven", 7f),
        op("fill", "Fill", List.of("dims", "seven"), "T", DT_FLOAT, "index_type", DT_INT32),
        int32("r0", 2), int32("r1", 11), int32("r2", 3),
        op("range", "Range", List.of("r0", "r1", "r2"), "Tidx", DT_INT32),
        floats("w", new long[] {3, 4}, 0.5f, -1f, 0.25f),
        op("ein", "Einsum", List.of("x", "w"), "T", DT_FLOAT, "N", 2, "equation", "bsc,cd->bsd"),
        op("lsm", "LogSoftmax", List.of("x"), "T", DT_FLOAT),
        op("un", "Unpack", List.of("x"), "T", DT_FLOAT, "num", 3, "axis", 2),
        op("an", "AddN", List.of("un", "un:1", "un:2"), "T", DT_FLOAT, "N", 3));
    TfVsOrt.check(dir, g, List.of(Feed.floats("x", 1, 6, 3), Feed.floats("img", 1, 5, 5, 2)),
        "conv1d", "sep", "pad", "mpad", "tile", "fill", "range", "ein", "lsm", "un:1", "an");
  }

  /**
   * A depthwise filter computed in the graph (as our SavedModel writer emits for a ConstantOfShape
   * kernel): a Fill to constant dims, reshaped and transposed; its dims come from static inference.
   */
  @Test
  void depthwiseFilterOfInferredShape() throws Exception {
    GraphDef g = graph(placeholder("img", 1, 5, 5, 3),
        int32s("fdims", new long[] {4}, 3, 1, 3, 3), float1("fv", 0.25f),
        op("fill", "Fill", List.of("fdims", "fv"), "T", DT_FLOAT, "index_type", DT_INT32),
        op("noise", "Mul", List.of("fill", "ramp"), "T", DT_FLOAT), floats("ramp", new long[] {3}, 1f, -2f, 0.5f),
        int32s("perm", new long[] {4}, 2, 3, 0, 1),
        op("hwio", "Transpose", List.of("noise", "perm"), "T", DT_FLOAT, "Tperm", DT_INT32),
        int32s("dwshape", new long[] {4}, 3, 3, 3, -1),
        op("dk", "Reshape", List.of("hwio", "dwshape"), "T", DT_FLOAT, "Tshape", DT_INT32),
        op("dw", "DepthwiseConv2dNative", List.of("img", "dk"), "T", DT_FLOAT, "strides", ints(1, 1, 1, 1),
            "padding", "SAME"),
        op("dwfill", "DepthwiseConv2dNative", List.of("img", "fill2"), "T", DT_FLOAT, "strides", ints(1, 2, 2, 1),
            "padding", "VALID"),
        int32s("f2dims", new long[] {4}, 2, 2, 3, 2),
        op("fill2", "Fill", List.of("f2dims", "fv"), "T", DT_FLOAT, "index_type", DT_INT32));
    TfVsOrt.check(dir, g, List.of(Feed.floats("img", 1, 5, 5, 3)), "dw", "dwfill");
  }

  @Test
  void remainingFamilies() throws Exception {
    GraphDef g = graph(placeholder("x", 1, 4, 4, 4, 2), placeholder("a", DT_INT32, 4), placeholder("f", 2, 3),
        op("ap3", "AvgPool3D", List.of("x"), "T", DT_FLOAT, "ksize", ints(1, 2, 2, 2, 1), "strides", ints(1, 2, 2, 2, 1),
            "padding", "SAME"),
        int32s("ks", new long[] {4}, 1, 2, 2, 1), int32s("ss", new long[] {4}, 1, 1, 1, 1),
        op("sq", "Squeeze", List.of("x"), "T", DT_FLOAT, "squeeze_dims", ints(0)),
        op("mp2", "MaxPoolV2", List.of("sq", "ks", "ss"), "T", DT_FLOAT, "padding", "VALID"),
        op("lrn", "LRN", List.of("sq"), "T", DT_FLOAT, "depth_radius", 1, "bias", 1.0f, "alpha", 0.5f, "beta", 0.75f),
        int32s("b", new long[] {4}, 3, -2, 5, 1),
        op("td", "TruncateDiv", List.of("a", "b"), "T", DT_INT32),
        op("bx", "BitwiseXor", List.of("a", "b"), "T", DT_INT32),
        op("inv", "Invert", List.of("a"), "T", DT_INT32),
        op("fmod", "Mod", List.of("f", "m"), "T", DT_FLOAT), float1("m", 0.6f),
        op("xd", "Xdivy", List.of("zf", "f"), "T", DT_FLOAT), floats("zf", new long[] {3}, 0f, 1f, 2f),
        op("xl", "Xlogy", List.of("zf", "absf"), "T", DT_FLOAT), op("absf", "Abs", List.of("f"), "T", DT_FLOAT),
        op("inf", "IsInf", List.of("xd"), "T", DT_FLOAT),
        int32s("s1", new long[] {2}, 2, 1), int32s("s2", new long[] {1}, 3),
        op("bargs", "BroadcastArgs", List.of("s1", "s2"), "T", DT_INT32),
        int32s("ui", new long[] {2, 1}, 1, 0), floats("uv", new long[] {2, 3}, 9f, 8f, 7f, 6f, 5f, 4f),
        op("tsu", "TensorScatterUpdate", List.of("f", "ui", "uv"), "T", DT_FLOAT, "Tindices", DT_INT32),
        op("tsa", "TensorScatterAdd", List.of("f", "ui", "uv"), "T", DT_FLOAT, "Tindices", DT_INT32));
    // BitwiseXor and BitwiseNot exist from opset 18 on.
    TfVsOrt.check(dir, g, dev.modelbridge.format.ReadOptions.defaults().with("opset", "18"),
        List.of(Feed.floats("x", 1, 4, 4, 4, 2), new Feed("a", new long[] {4}, new int[] {7, -7, 9, 0}),
        Feed.floats("f", 2, 3)), "ap3", "mp2", "lrn", "td", "bx", "inv", "fmod", "xd", "xl", "inf", "bargs", "tsu", "tsa");
  }

  @Test
  void nonMaxSuppression() throws Exception {
    float[] boxes = {0, 0, 1, 1, 0, 0.1f, 1, 1.1f, 0, -0.1f, 1, 0.9f, 0, 10, 1, 11, 0, 10.1f, 1, 11.1f, 0, 100, 1, 101};
    GraphDef g = graph(placeholder("scores", 6), floats("boxes", new long[] {6, 4}, boxes), int32("max", 3),
        float1("iou", 0.5f), float1("thr", -1f),
        op("nms", "NonMaxSuppressionV3", List.of("boxes", "scores", "max", "iou", "thr"), "T", DT_FLOAT),
        op("nms4", "NonMaxSuppressionV4", List.of("boxes", "scores", "max", "iou", "thr"), "T", DT_FLOAT,
            "pad_to_max_output_size", false));
    TfVsOrt.check(dir, g, List.of(new Feed("scores", new long[] {6}, new float[] {0.9f, 0.75f, 0.6f, 0.95f, 0.5f, 0.3f})),
        "nms", "nms4", "nms4:1");
  }
}
