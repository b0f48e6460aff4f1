package dev.modelbridge.tensorflow;

import static dev.modelbridge.tensorflow.TinyGraphs.float1;
import static dev.modelbridge.tensorflow.TinyGraphs.op;
import static dev.modelbridge.tensorflow.TinyGraphs.placeholder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorflow.proto.DataType.DT_FLOAT;
import static org.tensorflow.proto.DataType.DT_INT32;

import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.tensorflow.TfVsOrt.Feed;
import dev.modelbridge.tensorflow.convert.UnsupportedOpsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.types.TFloat32;

/** Functional While and If against TensorFlow Java; TF1 loops refused by name. */
class ControlFlowTest {
  @TempDir
  Path dir;

  @Test
  void corpusSimpleWhileLoopRunsAsTensorFlowDoes() throws Exception {
    Path model = TfCorpusReadTest.corpus()
        .resolve("tf-savedmodels/tensorflow/c/experimental/saved_model/internal/testdata/SimpleWhileLoop");
    Assumptions.assumeTrue(Files.isDirectory(model), "SimpleWhileLoop not in the corpus");
    Path onnx = dir.resolve("while.onnx");
    ModelBridge.create().convert(model).to("onnx").writeTo(onnx);
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve")) {
      for (float v : new float[] {0f, 1f, 3f, 5.5f, -2f, 10f}) {
        float want;
        try (TFloat32 in = TFloat32.scalarOf(v);
            Result r = b.session().runner().feed("serving_default_value:0", in).fetch("PartitionedCall:0").run()) {
          want = ((TFloat32) r.get(0)).getFloat();
        }
        double got = TfVsOrt.runOrt(onnx, List.of(new Feed("value", new long[0], new float[] {v})), "output_0")
            .get("output_0")[0];
        assertEquals(want, got, 1e-4, "value " + v);
      }
    }
  }

  private static OpDef.ArgDef arg(String name, DataType t) {
    return OpDef.ArgDef.newBuilder().setName(name).setType(t).build();
  }

  private static AttrValue types(DataType... t) {
    return AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addAllType(List.of(t))).build();
  }

  private static AttrValue func(String name) {
    return AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(name)).build();
  }

  /** while i < 5: x = x * 1.5 + 1; i += 1 -- and if sum(x) > 0 then x * 2 else -x. */
  static GraphDef loopAndBranch() {
    FunctionDef cond = FunctionDef.newBuilder()
        .setSignature(OpDef.newBuilder().setName("cond").addInputArg(arg("i", DT_INT32)).addInputArg(arg("x", DT_FLOAT))
            .addOutputArg(arg("c", DataType.DT_BOOL)))
        .addNodeDef(TinyGraphs.int32("five", 5))
        .addNodeDef(op("lt", "Less", List.of("i", "five:output:0"), "T", DT_INT32))
        .putRet("c", "lt:z:0").build();
    FunctionDef body = FunctionDef.newBuilder()
        .setSignature(OpDef.newBuilder().setName("body").addInputArg(arg("i", DT_INT32)).addInputArg(arg("x", DT_FLOAT))
            .addOutputArg(arg("i2", DT_INT32)).addOutputArg(arg("x2", DT_FLOAT)))
        .addNodeDef(TinyGraphs.int32("one", 1))
        .addNodeDef(float1("k", 1.5f))
        .addNodeDef(float1("b", 1f))
        .addNodeDef(op("inc", "AddV2", List.of("i", "one:output:0"), "T", DT_INT32))
        .addNodeDef(op("mul", "Mul", List.of("x", "k:output:0"), "T", DT_FLOAT))
        .addNodeDef(op("add", "AddV2", List.of("mul:z:0", "b:output:0"), "T", DT_FLOAT))
        .putRet("i2", "inc:z:0").putRet("x2", "add:z:0").build();
    FunctionDef then = FunctionDef.newBuilder()
        .setSignature(OpDef.newBuilder().setName("then").addInputArg(arg("x", DT_FLOAT)).addOutputArg(arg("y", DT_FLOAT)))
        .addNodeDef(float1("two", 2f))
        .addNodeDef(op("m", "Mul", List.of("x", "two:output:0"), "T", DT_FLOAT))
        .putRet("y", "m:z:0").build();
    FunctionDef otherwise = FunctionDef.newBuilder()
        .setSignature(OpDef.newBuilder().setName("otherwise").addInputArg(arg("x", DT_FLOAT)).addOutputArg(arg("y", DT_FLOAT)))
        .addNodeDef(op("n", "Neg", List.of("x"), "T", DT_FLOAT))
        .putRet("y", "n:y:0").build();
    NodeDef loop = op("w", "StatelessWhile", List.of("i0", "x"), "T", types(DT_INT32, DT_FLOAT),
        "cond", func("cond"), "body", func("body"), "parallel_iterations", 10);
    NodeDef branch = op("y", "StatelessIf", List.of("pos", "w:1"), "Tcond", DataType.DT_BOOL, "Tin", types(DT_FLOAT),
        "Tout", types(DT_FLOAT), "then_branch", func("then"), "else_branch", func("otherwise"));
    return GraphDef.newBuilder()
        .setLibrary(FunctionDefLibrary.newBuilder().addFunction(cond).addFunction(body).addFunction(then)
            .addFunction(otherwise))
        .addNode(placeholder("x", 3)).addNode(TinyGraphs.int32("i0", 0)).addNode(loop)
        .addNode(TinyGraphs.int32s("all", new long[] {1}, 0))
        .addNode(op("s", "Sum", List.of("w:1", "all"), "T", DT_FLOAT, "Tidx", DT_INT32, "keep_dims", false))
        .addNode(float1("zero", 0f))
        .addNode(op("pos", "Greater", List.of("s", "zero"), "T", DT_FLOAT))
        .addNode(branch).build();
  }

  @Test
  void statelessWhileAndIfMatchTensorFlow() throws Exception {
    GraphDef g = loopAndBranch();
    for (float v : new float[] {1f, -5f}) {
      List<Feed> feeds = List.of(new Feed("x", new long[] {3}, new float[] {v, 0.5f * v, -0.25f}));
      var m = TfVsOrt.check(dir, g, feeds, "y", "w", "w:1");
      assertEquals(1, TfVsOrt.count(m, "Loop"));
      assertEquals(1, TfVsOrt.count(m, "If"));
    }
  }

  @Test
  void tf1SwitchMergeLoopsAreRefusedByName() throws Exception {
    GraphDef g = GraphDef.newBuilder()
        .addNode(placeholder("x", 2))
        .addNode(placeholder("p", DataType.DT_BOOL))
        .addNode(op("sw", "Switch", List.of("x", "p"), "T", DT_FLOAT))
        .addNode(op("m", "Merge", List.of("sw", "sw:1"), "T", DT_FLOAT, "N", 2))
        .build();
    Path pb = dir.resolve("tf1.pb");
    Files.write(pb, g.toByteArray());
    var e = assertThrows(UnsupportedOpsException.class,
        () -> new GraphDefFormat().read(pb, ReadOptions.defaults().with(ReadOptions.OUTPUTS, "m")));
    assertTrue(e.unsupportedOps().containsKey("Switch") && e.unsupportedOps().containsKey("Merge"), e.getMessage());
    assertTrue(e.getMessage().contains("Switch (sw)") && e.getMessage().contains("TF1 control flow"), e.getMessage());
  }
}
