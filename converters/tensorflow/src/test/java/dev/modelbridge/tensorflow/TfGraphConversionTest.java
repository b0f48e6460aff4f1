package dev.modelbridge.tensorflow;

import static dev.modelbridge.tensorflow.TinyGraphs.b;
import static dev.modelbridge.tensorflow.TinyGraphs.floats;
import static dev.modelbridge.tensorflow.TinyGraphs.ints;
import static dev.modelbridge.tensorflow.TinyGraphs.int32s;
import static dev.modelbridge.tensorflow.TinyGraphs.node;
import static dev.modelbridge.tensorflow.TinyGraphs.placeholder;
import static dev.modelbridge.tensorflow.TinyGraphs.s;
import static dev.modelbridge.tensorflow.TinyGraphs.strings;
import static dev.modelbridge.tensorflow.TinyGraphs.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.tensorflow.convert.OpRegistry;
import dev.modelbridge.tensorflow.convert.UnsupportedOpsException;
import dev.modelbridge.tensorflow.graph.FlatGraph;
import dev.modelbridge.tensorflow.graph.FunctionInliner;
import dev.modelbridge.tensorflow.graph.OpDefs;
import dev.modelbridge.tensorflow.graph.TensorRef;
import dev.modelbridge.tensorflow.graph.VariableKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/** Conversion of tiny GraphDefs written with the TensorFlow protos. */
class TfGraphConversionTest {
  @TempDir
  Path dir;

  private Model convert(GraphDef g, ReadOptions options) throws Exception {
    Path file = dir.resolve("g.pb");
    Files.write(file, g.toByteArray());
    assertTrue(new GraphDefFormat().detect(file));
    return new GraphDefFormat().read(file, options);
  }

  private static List<String> ops(Model m) {
    return m.graph().nodes().stream().map(Node::opType).toList();
  }

  @Test
  void denseLayerBecomesMatMulAddRelu() throws Exception {
    GraphDef g = GraphDef.newBuilder()
        .addNode(placeholder("x", -1, 2))
        .addNode(floats("w", new long[] {3, 2}, 1, 2, 3, 4, 5, 6))
        .addNode(floats("bias", new long[] {3}, 1, 1, 1))
        .addNode(with(node("mm", "MatMul", "x", "w"), "transpose_b", b(true)))
        .addNode(node("ba", "BiasAdd", "mm", "bias"))
        .addNode(node("y", "Relu", "ba"))
        .build();
    Model m = convert(g, ReadOptions.defaults());
    // transpose_b's Transpose of the constant weight is folded into a transposed constant.
    assertEquals(List.of("MatMul", "Add", "Relu", "Identity"), ops(m));
    assertEquals("x", m.graph().inputs().get(0).name());
    assertEquals("y", m.graph().outputs().get(0).name());
    assertEquals(17, m.opsetVersion("").getAsLong());
  }

  @Test
  void nhwcConvolutionIsWrappedInTransposes() throws Exception {
    NodeDef conv = with(with(node("c", "Conv2D", "x", "k"), "padding", s("SAME")), "strides", ints(1, 2, 2, 1));
    GraphDef g = GraphDef.newBuilder()
        .addNode(placeholder("x", 1, 4, 4, 1))
        .addNode(floats("k", new long[] {3, 3, 1, 2}, 0.5f))
        .addNode(conv)
        .addNode(with(with(node("p", "MaxPool", "c"), "ksize", ints(1, 2, 2, 1)), "padding", s("VALID")))
        .build();
    Model m = convert(g, ReadOptions.defaults().with("optimize", "false"));
    assertEquals(List.of("Transpose", "Transpose", "Conv", "Transpose", "Transpose", "MaxPool", "Transpose", "Identity"), ops(m));
    Node c = m.graph().nodes().get(2);
    assertEquals("SAME_UPPER", ((dev.modelbridge.ir.Attribute.StringAttr) c.attribute("auto_pad").orElseThrow()).value().toString());
  }

  @Test
  void everyUnsupportedOpIsListedOnceWithItsNodes() throws Exception {
    GraphDef g = GraphDef.newBuilder()
        .addNode(placeholder("x", 2))
        .addNode(node("a", "Foo", "x"))
        .addNode(node("b", "Foo", "a"))
        .addNode(node("c", "Bar", "x"))
        .addNode(node("y", "Add", "b", "c"))
        .build();
    var e = assertThrows(UnsupportedOpsException.class, () -> convert(g, ReadOptions.defaults().with(ReadOptions.OUTPUTS, "y")));
    assertEquals(Map.of("Foo", List.of("a", "b"), "Bar", List.of("c")), e.unsupportedOps());
    assertTrue(e.getMessage().contains("Foo (a, b)"), e.getMessage());
  }

  @Test
  void inputsAndOutputsOptionsCutTheGraph() throws Exception {
    GraphDef g = GraphDef.newBuilder()
        .addNode(placeholder("x", 2))
        .addNode(node("h", "Exp", "x"))
        .addNode(node("y", "Neg", "h"))
        .addNode(node("z", "Unknown", "y"))
        .build();
    Model m = convert(g, ReadOptions.defaults().with(ReadOptions.INPUTS, "h:0").with(ReadOptions.OUTPUTS, "y"));
    assertEquals(List.of("Neg", "Identity"), ops(m));
    assertEquals("h", m.graph().inputs().get(0).name());
  }

  @Test
  void nestedFunctionCallsAreInlined() throws Exception {
    FunctionDef inner = FunctionDef.newBuilder()
        .setSignature(OpDef.newBuilder().setName("inner")
            .addInputArg(OpDef.ArgDef.newBuilder().setName("a")).addOutputArg(OpDef.ArgDef.newBuilder().setName("out")))
        .addNodeDef(node("r", "Relu", "a"))
        .putRet("out", "r:activations:0")
        .build();
    FunctionDef outer = FunctionDef.newBuilder()
        .setSignature(OpDef.newBuilder().setName("outer")
            .addInputArg(OpDef.ArgDef.newBuilder().setName("x")).addOutputArg(OpDef.ArgDef.newBuilder().setName("y")))
        .addNodeDef(call("call", "inner", "x"))
        .addNodeDef(node("n", "Neg", "call:output:0"))
        .putRet("y", "n:y:0")
        .build();
    GraphDef g = GraphDef.newBuilder()
        .addNode(placeholder("x", 2))
        .addNode(call("top", "outer", "x"))
        .setLibrary(FunctionDefLibrary.newBuilder().addFunction(inner).addFunction(outer))
        .build();
    FlatGraph flat = FunctionInliner.flatten(g, OpDefs.empty());
    assertEquals(new TensorRef("top/n", 0), flat.resolve(TensorRef.parse("top:0")));
    assertEquals(List.of(new TensorRef("top/call/r", 0)), flat.node("top/n").orElseThrow().dataInputs());
    assertEquals(List.of(new TensorRef("x", 0)), flat.node("top/call/r").orElseThrow().dataInputs());
    Model m = convert(g, ReadOptions.defaults().with(ReadOptions.OUTPUTS, "top:0"));
    assertEquals(List.of("Relu", "Neg", "Identity"), ops(m));
  }

  @Test
  void restoreOpsNameTheCheckpointKeyOfEachVariable() throws Exception {
    GraphDef g = GraphDef.newBuilder()
        .addNode(NodeDef.newBuilder().setName("v").setOp("VariableV2"))
        .addNode(strings("save/names", "layer/kernel"))
        .addNode(strings("save/slices", ""))
        .addNode(NodeDef.newBuilder().setName("save/RestoreV2").setOp("RestoreV2")
            .addInput("save/Const").addInput("save/names").addInput("save/slices"))
        .addNode(NodeDef.newBuilder().setName("save/Assign").setOp("Assign").addInput("v").addInput("save/RestoreV2"))
        .addNode(NodeDef.newBuilder().setName("save/restore_all").setOp("NoOp").addInput("^save/Assign"))
        .build();
    FlatGraph flat = FunctionInliner.flatten(g, OpDefs.empty());
    assertEquals(Map.of("v", "layer/kernel"), VariableKeys.find(flat, Optional.of("save/restore_all")));
  }

  @Test
  void reductionsUseTheAxesFormOfTheOpset() throws Exception {
    GraphDef g = GraphDef.newBuilder()
        .addNode(placeholder("x", 2, 3))
        .addNode(int32s("axes", 1))
        .addNode(with(node("m", "Mean", "x", "axes"), "keep_dims", b(true)))
        .addNode(node("s", "Sum", "m", "axes"))
        .build();
    Model m17 = convert(g, ReadOptions.defaults().with(ReadOptions.OUTPUTS, "s"));
    assertEquals(1, m17.graph().nodes().get(0).inputs().size());
    assertEquals(2, m17.graph().nodes().get(1).inputs().size());
    Model m18 = convert(g, ReadOptions.defaults().with(ReadOptions.OUTPUTS, "s").with("opset", "18"));
    assertEquals(2, m18.graph().nodes().get(0).inputs().size());
  }

  @Test
  void theRegistryCoversTheFirstSlice() {
    List<String> ops = OpRegistry.standard().supportedOps();
    for (String op : List.of("Placeholder", "Const", "Identity", "IdentityN", "NoOp", "StopGradient", "MatMul",
        "BatchMatMulV2", "BatchMatMulV3", "BiasAdd", "Add", "AddV2", "Sub", "Mul", "RealDiv", "Maximum", "Minimum",
        "Relu", "Relu6", "Sigmoid", "Tanh", "Softmax", "Reshape", "Squeeze", "ExpandDims", "ConcatV2", "Transpose",
        "Cast", "Shape", "Pack", "Fill", "Sum", "Mean", "Max", "Rsqrt", "Sqrt", "Square", "Pow", "Exp", "Log", "Neg",
        "Greater", "Less", "Equal", "Select", "SelectV2", "Conv2D", "MaxPool", "AvgPool", "FusedBatchNormV3",
        "VarHandleOp", "VariableV2", "ReadVariableOp")) {
      assertTrue(ops.contains(op), op);
    }
    System.out.println(ops.size() + " TensorFlow ops supported: " + ops);
  }

  private static NodeDef call(String name, String fn, String... inputs) {
    return NodeDef.newBuilder().setName(name).setOp("StatefulPartitionedCall").addAllInput(List.of(inputs))
        .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(fn)).build()).build();
  }
}
