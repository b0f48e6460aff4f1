package dev.modelbridge.e2e.savedmodel;

import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.e2e.support.ReferenceData;
import dev.modelbridge.e2e.support.TensorValue;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.Type;
import dev.modelbridge.schemas.onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cases of TfIdfVectorizer and TreeEnsemble beyond ONNX's node tests (trigrams with skips, the
 * weighting modes, MIN and MAX aggregation, missing values), run in TensorFlow and compared with
 * ONNX Runtime.
 */
class TextAndTreeOpsTest {

  @ParameterizedTest
  @CsvSource({"TF, 1, 3, 2", "TFIDF, 2, 3, 1", "IDF, 1, 2, 3", "TF, 3, 3, 4"})
  void tfIdfVectorizerMatchesOnnxRuntime(String mode, long minN, long maxN, long skip, @TempDir Path tmp)
      throws Exception {
    GraphBuilder g = GraphBuilder.named("tfidf");
    String x = g.input("x", Type.tensor(ElementType.INT64, 4, 12));
    // Unigrams 1..3, bigrams (1,2) (2,2) (3,1), trigrams (1,2,3) (2,2,2) (1,1,1); two share output 5.
    long[] pool = {1, 2, 3, 1, 2, 2, 2, 3, 1, 1, 2, 3, 2, 2, 2, 1, 1, 1};
    long[] indexes = {0, 1, 2, 3, 4, 5, 6, 7, 5};
    List<Float> weights = List.of(0.5f, 1f, 1.5f, 2f, 2.5f, 3f, 3.5f, 4f, 4.5f); // ONNX Runtime wants one per index
    String y = g.op("TfIdfVectorizer").inputs(x).attr("mode", mode).attr("min_gram_length", minN)
        .attr("max_gram_length", maxN).attr("max_skip_count", skip).ints("ngram_counts", 0, 3, 9)
        .ints("ngram_indexes", indexes).ints("pool_int64s", pool)
        .attr(new Attribute.FloatsAttr("weights", weights, "")).output("y");
    g.output(y, Type.tensor(ElementType.FLOAT, 4, 8));
    SplittableRandom r = new SplittableRandom(11);
    long[] data = new long[48];
    for (int i = 0; i < data.length; i++) {
      data[i] = r.nextInt(4);
    }
    compare(GraphBuilder.model(g.build(), 17), List.of(new ReferenceData.Value("x", longs(data, 4, 12))), tmp);
  }

  /**
   * Two trees over three features: one with every comparison mode, one with missing values going
   * true. Without post_transform: ONNX Runtime 1.24 reads its values in its own enum order
   * (1 as LOGISTIC, 2 as SOFTMAX) where ONNX has 1 SOFTMAX, 2 LOGISTIC.
   */
  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2, 3})
  void treeEnsembleMatchesOnnxRuntime(long aggregate, @TempDir Path tmp) throws Exception {
    GraphBuilder g = GraphBuilder.named("trees");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, 8, 3));
    // Tree 1: nodes 0..3 (LEQ, GT, EQ, MEMBER), tree 2: nodes 4..5 (LT, GTE).
    String y = g.op("TreeEnsemble").domain("ai.onnx.ml").inputs(x)
        .ints("nodes_featureids", 0, 1, 2, 0, 2, 1)
        .attr(tensorAttr("nodes_splits", floats(0f, 0.2f, 1f, 0f, -0.3f, 0.5f)))
        .attr(tensorAttr("nodes_modes", Tensor.of("", ElementType.UINT8, new long[] {6},
            ByteBuffer.wrap(new byte[] {0, 3, 4, 6, 1, 2}))))
        .ints("nodes_truenodeids", 1, 0, 1, 2, 5, 4).ints("nodes_trueleafs", 0, 1, 1, 1, 0, 1)
        .ints("nodes_falsenodeids", 2, 3, 3, 4, 6, 5).ints("nodes_falseleafs", 0, 0, 1, 1, 1, 1)
        .ints("nodes_missing_value_tracks_true", 0, 0, 0, 0, 1, 1)
        .attr(tensorAttr("membership_values", floats(1f, -1f, Float.NaN)))
        .ints("tree_roots", 0, 4).ints("leaf_targetids", 0, 1, 0, 1, 0, 1, 0)
        .attr(tensorAttr("leaf_weights", floats(1f, -2f, 3f, 0.5f, -1.5f, 2.5f, 4f)))
        .attr("n_targets", 2L).attr("aggregate_function", aggregate).output("y");
    g.output(y, Type.tensor(ElementType.FLOAT, 8, 2));
    Model m = GraphBuilder.model(g.build(), 17).toBuilder().opset("ai.onnx.ml", 5).build();
    float[] v = {-1, 0.3f, 1, 0.5f, 0.1f, 2, 1, Float.NaN, -0.5f, -1, -2, 1, Float.NaN, 0.9f, Float.NaN, 0, 0.2f, 1,
        2, 2, 2, 0.1f, 0.25f, -0.3f};
    compare(m, List.of(new ReferenceData.Value("x", TensorValue.ofFloats(new long[] {8, 3}, v))), tmp);
  }

  private static void compare(Model m, List<ReferenceData.Value> inputs, Path tmp) throws Exception {
    Path onnx = tmp.resolve("m.onnx");
    OnnxToSavedModelTest.write(m, "onnx", onnx, WriteOptions.defaults());
    Path out = tmp.resolve("sm");
    OnnxToSavedModelTest.write(m, "savedmodel", out, WriteOptions.defaults());
    OnnxToSavedModelTest.compareWithOrt(onnx, out, inputs);
  }

  private static Attribute tensorAttr(String name, Tensor t) {
    return new Attribute.TensorAttr(name, t, "");
  }

  private static Tensor floats(float... v) {
    return Tensor.ofFloats("", new long[] {v.length}, v);
  }

  private static TensorValue longs(long[] v, long... shape) {
    TensorProto.Builder p = TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE);
    List<Long> boxed = new ArrayList<>();
    for (long x : v) {
      boxed.add(x);
    }
    p.addAllInt64Data(boxed);
    for (long d : shape) {
      p.addDims(d);
    }
    return TensorValue.fromProto(p.build());
  }
}
