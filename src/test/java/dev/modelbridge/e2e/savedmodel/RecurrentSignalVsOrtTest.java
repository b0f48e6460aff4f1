package dev.modelbridge.e2e.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.modelbridge.e2e.savedmodel.OnnxToSavedModelTest.randomFloats;
import static dev.modelbridge.e2e.savedmodel.OnnxToSavedModelTest.write;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.build.Tensors;
import dev.modelbridge.e2e.support.OrtRunner;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorComparator;
import dev.modelbridge.e2e.support.TensorValue;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recurrent, detection and signal handlers on the attribute combinations ONNX's node tests
 * leave out (bidirectional, sequence_lens with the reverse direction, clip, linear_before_reset,
 * peepholes, dft_length, other mel parameters), checked against ONNX Runtime on the same model.
 */
class RecurrentSignalVsOrtTest {

  @Test
  void bidirectionalGruWithSequenceLengthsAndClip(@TempDir Path tmp) throws Exception {
    GraphBuilder g = GraphBuilder.named("gru");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, 4, 3, 2));
    String w = g.initializer(Tensors.randomFloats("W", 1, 2, 15, 2));
    String r = g.initializer(Tensors.randomFloats("R", 2, 2, 15, 5));
    String b = g.initializer(Tensors.randomFloats("B", 3, 2, 30));
    String lens = g.initializer(ints("lens", 4, 1, 3));
    String h0 = g.initializer(Tensors.randomFloats("h0", 4, 2, 3, 5));
    String[] out = g.op("GRU").inputs(x, w, r, b, lens, h0).attr("hidden_size", 5L).attr("direction", "bidirectional")
        .attr("linear_before_reset", 1L).attr("clip", 0.7f).outputs("y", "y_h");
    g.output(out[0], Type.tensor(ElementType.FLOAT, 4, 2, 3, 5));
    g.output(out[1], Type.tensor(ElementType.FLOAT, 2, 3, 5));
    check(tmp, GraphBuilder.model(g.build(), 17), "x", randomFloats(11, 4, 3, 2));
  }

  @Test
  void reverseLstmWithPeepholesAndPartialInitialState(@TempDir Path tmp) throws Exception {
    GraphBuilder g = GraphBuilder.named("lstm");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, 5, 2, 3));
    String w = g.initializer(Tensors.randomFloats("W", 1, 1, 16, 3));
    String r = g.initializer(Tensors.randomFloats("R", 2, 1, 16, 4));
    String b = g.initializer(Tensors.randomFloats("B", 3, 1, 32));
    String lens = g.initializer(ints("lens", 5, 3));
    String h0 = g.initializer(Tensors.randomFloats("h0", 4, 1, 2, 4));
    String p = g.initializer(Tensors.randomFloats("P", 5, 1, 12));
    String[] out = g.op("LSTM").inputs(x, w, r, b, lens, h0, "", p).attr("hidden_size", 4L)
        .attr("direction", "reverse").outputs("y", "y_h", "y_c");
    g.output(out[0], Type.tensor(ElementType.FLOAT, 5, 1, 2, 4));
    g.output(out[1], Type.tensor(ElementType.FLOAT, 1, 2, 4));
    g.output(out[2], Type.tensor(ElementType.FLOAT, 1, 2, 4));
    check(tmp, GraphBuilder.model(g.build(), 17), "x", randomFloats(12, 5, 2, 3));
  }

  @Test
  void bidirectionalRnnWithActivations(@TempDir Path tmp) throws Exception {
    GraphBuilder g = GraphBuilder.named("rnn");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, 3, 2, 3));
    String w = g.initializer(Tensors.randomFloats("W", 1, 2, 4, 3));
    String r = g.initializer(Tensors.randomFloats("R", 2, 2, 4, 4));
    String[] out = g.op("RNN").inputs(x, w, r).attr("hidden_size", 4L).attr("direction", "bidirectional")
        .attr(Attribute.strings("activations", "Relu", "Sigmoid")).outputs("y", "y_h");
    g.output(out[0], Type.tensor(ElementType.FLOAT, 3, 2, 2, 4));
    g.output(out[1], Type.tensor(ElementType.FLOAT, 2, 2, 4));
    check(tmp, GraphBuilder.model(g.build(), 17), "x", randomFloats(13, 3, 2, 3));
  }

  @Test
  void nonMaxSuppressionOverBatchesAndClasses(@TempDir Path tmp) throws Exception {
    GraphBuilder g = GraphBuilder.named("nms");
    String boxes = g.input("boxes", Type.tensor(ElementType.FLOAT, 2, 20, 4));
    String scores = g.initializer(Tensors.randomFloats("scores", 1, 2, 3, 20));
    String max = g.initializer(longs("max", 5));
    String iou = g.initializer(floats("iou", 0.3f));
    String min = g.initializer(floats("min", 0.1f));
    g.output(g.op("NonMaxSuppression").inputs(boxes, scores, max, iou, min).output("selected"),
        Type.tensor(ElementType.INT64, Shape.ofMixed("selected", 3)));
    check(tmp, GraphBuilder.model(g.build(), 17), "boxes", randomFloats(14, 2, 20, 4));
  }

  @Test
  void dftWithLengthPaddedAndCut(@TempDir Path tmp) throws Exception {
    for (long length : new long[] {13, 7}) {
      GraphBuilder g = GraphBuilder.named("dft");
      String x = g.input("x", Type.tensor(ElementType.FLOAT, 2, 10, 3, 2));
      String n = g.initializer(longs("n", length));
      g.output(g.op("DFT").inputs(x, n).attr("axis", 1L).output("y"), Type.tensor(ElementType.FLOAT, 2, length, 3, 2));
      check(tmp.resolve("n" + length), GraphBuilder.model(g.build(), 17), "x", randomFloats(15, 2, 10, 3, 2));
    }
  }

  @Test
  void stftWithWindowAndMelWeights(@TempDir Path tmp) throws Exception {
    GraphBuilder g = GraphBuilder.named("stft");
    String signal = g.input("signal", Type.tensor(ElementType.FLOAT, 2, 64, 1));
    String step = g.initializer(longs("step", 6));
    String window = g.op("HannWindow").inputs(g.initializer(longs("size", 16))).output();
    String spec = g.op("STFT").inputs(signal, step, window).output("spectrum");
    g.output(spec, Type.tensor(ElementType.FLOAT, 2, 9, 9, 2));
    String mel = g.op("MelWeightMatrix").inputs(g.initializer(longs("bins", 10)), g.initializer(longs("dft", 64)),
        g.initializer(longs("rate", 16000)), g.initializer(floats("lo", 100)), g.initializer(floats("hi", 7000)))
        .output("mel");
    g.output(mel, Type.tensor(ElementType.FLOAT, 33, 10));
    check(tmp, GraphBuilder.model(g.build(), 17), "signal", randomFloats(16, 2, 64, 1));
  }

  private static void check(Path dir, Model m, String input, TensorValue value)
      throws Exception {
    Path onnx = dir.resolve("model.onnx");
    Files.createDirectories(dir);
    write(m, "onnx", onnx, WriteOptions.defaults());
    Path sm = dir.resolve("saved");
    write(m, "savedmodel", sm, WriteOptions.defaults());
    List<ReferenceData.Value> inputs = List.of(new ReferenceData.Value(input, value));
    Map<String, TensorValue> expected;
    try (OrtRunner ort = new OrtRunner()) {
      OrtRunner.Execution e = ort.execute(onnx, inputs);
      assertTrue(e.refusal().isEmpty(), () -> e.refusal().toString());
      expected = e.outputs();
    }
    Map<String, TensorValue> actual = SavedModelRunner.run(sm, inputs);
    assertEquals(expected.keySet(), actual.keySet());
    for (String k : expected.keySet()) {
      Optional<TensorComparator.Mismatch> bad = TensorComparator.compare(k, expected.get(k), actual.get(k));
      assertTrue(bad.isEmpty(), () -> bad.get().message());
    }
  }

  private static Tensor ints(String name, int... v) {
    return Tensor.ofInt32s(name, new long[] {v.length}, v);
  }

  private static Tensor longs(String name, long v) {
    return Tensor.ofInt64s(name, new long[0], v);
  }

  private static Tensor floats(String name, float v) {
    return Tensor.ofFloats(name, new long[0], v);
  }
}
