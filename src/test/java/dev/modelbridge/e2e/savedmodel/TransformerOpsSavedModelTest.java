package dev.modelbridge.e2e.savedmodel;

import static dev.modelbridge.e2e.savedmodel.OnnxToSavedModelTest.compareWithOrt;
import static dev.modelbridge.e2e.savedmodel.OnnxToSavedModelTest.randomFloats;
import static dev.modelbridge.e2e.savedmodel.OnnxToSavedModelTest.write;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer handlers with symbolic batch and sequence lengths (the ONNX node tests have
 * static shapes only): TensorFlow runs the converted model and ONNX Runtime the original one.
 */
class TransformerOpsSavedModelTest {

  /** Grouped-query (4 query heads, 2 KV heads), 3-D inputs, causal, with a KV cache. */
  @Test
  void attentionWithSymbolicLengthsMatchesOnnxRuntime(@TempDir Path tmp) throws Exception {
    GraphBuilder g = GraphBuilder.named("attention");
    String q = g.input("q", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", "seq", 16)));
    String k = g.input("k", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", "seq", 8)));
    String v = g.input("v", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", "seq", 8)));
    String pk = g.input("past_key", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 2, "past", 4)));
    String pv = g.input("past_value", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 2, "past", 4)));
    g.op("Attention").inputs(q, k, v, "", pk, pv).attr("q_num_heads", 4L).attr("kv_num_heads", 2L)
        .attr("is_causal", 1L).outputs("y", "present_key", "present_value");
    g.output("y", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", "seq", 16)));
    g.output("present_key", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 2, "total", 4)));
    g.output("present_value", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 2, "total", 4)));
    List<ReferenceData.Value> inputs = List.of(
        new ReferenceData.Value("q", randomFloats(1, 2, 3, 16)),
        new ReferenceData.Value("k", randomFloats(2, 2, 3, 8)),
        new ReferenceData.Value("v", randomFloats(3, 2, 3, 8)),
        new ReferenceData.Value("past_key", randomFloats(4, 2, 2, 5, 4)),
        new ReferenceData.Value("past_value", randomFloats(5, 2, 2, 5, 4)));
    check(GraphBuilder.model(g.build(), 23), tmp, inputs);
  }

  /** 4-D input, interleaved pairs, a partial rotary dimension and position ids. */
  @Test
  void rotaryEmbeddingWithSymbolicLengthsMatchesOnnxRuntime(@TempDir Path tmp) throws Exception {
    GraphBuilder g = GraphBuilder.named("rope");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 2, 3, 8)));
    String cos = g.input("cos", Type.tensor(ElementType.FLOAT, Shape.of(6, 2)));
    String sin = g.input("sin", Type.tensor(ElementType.FLOAT, Shape.of(6, 2)));
    String pos = g.initializer(Tensor.ofInt64s("pos", new long[] {2, 3}, 0, 1, 2, 3, 4, 5));
    g.op("RotaryEmbedding").inputs(x, cos, sin, pos).attr("interleaved", 1L).attr("rotary_embedding_dim", 4L)
        .outputs("y");
    g.output("y", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 2, 3, 8)));
    List<ReferenceData.Value> inputs = List.of(
        new ReferenceData.Value("x", randomFloats(6, 2, 2, 3, 8)),
        new ReferenceData.Value("cos", randomFloats(7, 6, 2)),
        new ReferenceData.Value("sin", randomFloats(8, 6, 2)));
    check(GraphBuilder.model(g.build(), 23), tmp, inputs);
  }

  private static void check(Model model, Path tmp, List<ReferenceData.Value> inputs) throws Exception {
    Path onnx = tmp.resolve("model.onnx");
    write(model, "onnx", onnx, WriteOptions.defaults());
    Path saved = tmp.resolve("saved");
    write(model, "savedmodel", saved, WriteOptions.defaults());
    compareWithOrt(onnx, saved, inputs);
  }
}
