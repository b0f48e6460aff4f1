package dev.modelbridge.e2e.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.modelbridge.tensorflow.export.UnsupportedOnnxOpsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control flow converted to functional TensorFlow ops, checked against ONNX Runtime: a Loop with a
 * loop-carried value and a scan output whose body holds an If whose branches read values of both
 * enclosing graphs (the Loop body's and the main graph's).
 */
class ControlFlowSavedModelTest {

  @Test
  void loopWithScanOutputAndNestedIfRunsAsInOnnxRuntime(@TempDir Path tmp) throws Exception {
    Model m = loopModel();
    Path onnx = tmp.resolve("loop.onnx");
    OnnxToSavedModelTest.write(m, "onnx", onnx, WriteOptions.defaults());
    Path saved = tmp.resolve("loop");
    OnnxToSavedModelTest.write(m, "savedmodel", saved, WriteOptions.defaults());
    List<ReferenceData.Value> inputs = List.of(new ReferenceData.Value("x", OnnxToSavedModelTest.randomFloats(11, 4, 3)));
    double diff = OnnxToSavedModelTest.compareWithOrt(onnx, saved, inputs);
    System.out.printf("Loop with scan output and nested If: max abs diff TensorFlow vs ONNX Runtime %.3g%n", diff);
  }

  @Test
  void unsupportedOpsInsideBranchesAreListedWithTheOthers(@TempDir Path tmp) {
    GraphBuilder g = GraphBuilder.named("branches");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, 2, 2));
    String c = g.input("c", Type.tensor(ElementType.BOOL));
    GraphBuilder then = g.subgraph("then");
    then.output(then.op("ImageDecoder").name("det_inside").inputs(x).output("d"), Type.tensor(ElementType.FLOAT));
    GraphBuilder otherwise = g.subgraph("else");
    otherwise.output(otherwise.op("ReduceMax").inputs(x).attr("keepdims", 0L).output("m"), Type.tensor(ElementType.FLOAT));
    String y = g.op("If").inputs(c).attr("then_branch", then.build()).attr("else_branch", otherwise.build()).output("y");
    g.output(g.op("Momentum").name("hm").inputs(y).output("z"), Type.tensor(ElementType.FLOAT));
    Path out = tmp.resolve("branches");
    UnsupportedOnnxOpsException e = assertThrows(UnsupportedOnnxOpsException.class, () ->
        OnnxToSavedModelTest.write(GraphBuilder.model(g.build(), 17), "savedmodel", out, WriteOptions.defaults()));
    assertEquals(java.util.Set.of("ImageDecoder", "Momentum"), e.unsupportedOps().keySet(), e.getMessage());
    assertFalse(Files.exists(out), "no partial output");
  }

  /**
   * {@code for i in 0..3: row = x[i]; y = row[0] > 0 ? row * scale : -row; acc += y; scan y},
   * then an If on {@code acc[0] > 0} at the top level reading {@code x}.
   */
  static Model loopModel() {
    GraphBuilder g = GraphBuilder.named("control_flow");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, 4, 3));
    String scale = g.initializer(Tensor.ofFloats("scale", new long[] {3}, 2f, -1f, 0.5f));
    String trips = g.initializer(Tensor.ofInt64s("trips", new long[0], 4));
    String acc0 = g.initializer(Tensor.ofFloats("acc0", new long[] {3}, 0f, 0f, 0f));

    GraphBuilder body = g.subgraph("body");
    String iter = body.input("iter", Type.tensor(ElementType.INT64));
    String condIn = body.input("cond_in", Type.tensor(ElementType.BOOL));
    String accIn = body.input("acc_in", Type.tensor(ElementType.FLOAT, 3));
    String row = body.op("Gather").inputs(x, iter).attr("axis", 0L).output("row");
    String first = body.op("Gather").inputs(row, body.constant(Tensor.ofInt64s("zero", new long[0], 0))).output("first");
    String positive = body.op("Greater").inputs(first, body.constant(Tensor.ofFloats("fzero", new long[0], 0f)))
        .output("positive");
    GraphBuilder then = body.subgraph("then");
    then.output(then.op("Mul").inputs(row, scale).output("scaled"), Type.tensor(ElementType.FLOAT, 3));
    GraphBuilder otherwise = body.subgraph("else");
    otherwise.output(otherwise.op("Neg").inputs(row).output("negated"), Type.tensor(ElementType.FLOAT, 3));
    String y = body.op("If").inputs(positive).attr("then_branch", then.build()).attr("else_branch", otherwise.build())
        .output("y");
    body.output(body.op("Identity").inputs(condIn).output("cond_out"), Type.tensor(ElementType.BOOL));
    body.output(body.op("Add").inputs(accIn, y).output("acc_out"), Type.tensor(ElementType.FLOAT, 3));
    body.output(body.op("Identity").inputs(y).output("scan_out"), Type.tensor(ElementType.FLOAT, 3));

    String[] loop = g.op("Loop").inputs(trips, "", acc0).attr("body", body.build()).outputs("acc", "rows");
    String accFirst = g.op("Gather").inputs(loop[0], g.constant(Tensor.ofInt64s("top_zero", new long[0], 0)))
        .output("acc_first");
    String up = g.op("Greater").inputs(accFirst, g.constant(Tensor.ofFloats("top_fzero", new long[0], 0f))).output("up");
    GraphBuilder yes = g.subgraph("yes");
    yes.output(yes.op("Add").inputs(loop[1], x).output("sum"), Type.tensor(ElementType.FLOAT, 4, 3));
    GraphBuilder no = g.subgraph("no");
    no.output(no.op("Sub").inputs(loop[1], x).output("difference"), Type.tensor(ElementType.FLOAT, 4, 3));
    String z = g.op("If").inputs(up).attr("then_branch", yes.build()).attr("else_branch", no.build()).output("z");
    g.output(loop[0], Type.tensor(ElementType.FLOAT, 3));
    g.output(loop[1], Type.tensor(ElementType.FLOAT, 4, 3));
    g.output(z, Type.tensor(ElementType.FLOAT, 4, 3));
    return GraphBuilder.model(g.build(), 17);
  }
}
