package dev.modelbridge.e2e.tensorflow.tfjava;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.tensorflow.Output;
import org.tensorflow.proto.DataType;

/**
 * The models of the TensorFlow Java oracle test, written with the ops and attributes Keras emits for
 * the same layers. Each declares the concrete shapes its inputs are fed with.
 */
public final class OracleModels {

  /** A model: its name, how to build it, and the shape of each input when fed. */
  public record Spec(String name, Consumer<SavedModelBuilder> body, Map<String, long[]> feeds) {}

  private OracleModels() {}

  public static List<Spec> all() {
    return List.of(
        new Spec("mlp", OracleModels::mlp, Map.of("x", new long[] {4, 16})),
        new Spec("cnn", OracleModels::cnn, Map.of("image", new long[] {2, 12, 12, 3})),
        new Spec("lstm", OracleModels::lstm, Map.of("sequence", new long[] {3, 4, 6})),
        new Spec("attention_einsum", OracleModels::attentionEinsum, Map.of("tokens", new long[] {2, 5, 8})),
        new Spec("attention_matmul", OracleModels::attentionMatMul, Map.of("tokens", new long[] {2, 5, 8})));
  }

  /** Dense(32, relu), Dense(10), Softmax. */
  static void mlp(SavedModelBuilder b) {
    Output<?> x = b.input("x", -1, 16);
    Output<?> h = dense(b, "dense", x, 16, 32, "Relu");
    Output<?> logits = dense(b, "dense_1", h, 32, 10, null);
    b.output("probs", b.op("Softmax", "dense_1/Softmax", logits));
  }

  private static Output<?> dense(SavedModelBuilder b, String name, Output<?> x, int in, int out, String act) {
    Output<?> w = b.weight(name + "/kernel", 1 / Math.sqrt(in), in, out);
    Output<?> bias = b.weight(name + "/bias", 0.1, out);
    Output<?> y = b.op("BiasAdd", name + "/BiasAdd", b.op("MatMul", name + "/MatMul", x, w), bias);
    return act == null ? y : b.op(act, name + "/" + act, y);
  }

  /**
   * Conv (SAME) + ReLU; depthwise conv, batch norm, ReLU6 and a residual add; max pool; a strided
   * depthwise conv (SAME, padded at the end only); conv (VALID); average pool (SAME, padding not
   * counted); global average; dense head.
   */
  static void cnn(SavedModelBuilder b) {
    Output<?> x = b.input("image", -1, 12, 12, 3);
    Output<?> a = conv(b, "conv1", x, 3, 3, 8, 1, "SAME");
    a = b.op("Relu", "conv1/Relu", a);
    Output<?> d = depthwise(b, "dw1", a, 8, 1, 1, "SAME");
    d = batchNorm(b, "bn1", d, 8);
    d = b.op("Relu6", "bn1/Relu6", d);
    Output<?> c = b.op("AddV2", "add/add", a, d);
    c = b.op("MaxPool", "pool1/MaxPool", p -> pool(p, 2, 2, "VALID"), c);
    c = depthwise(b, "dw2", c, 8, 2, 2, "SAME");
    c = b.op("Relu", "conv2/Relu", conv(b, "conv2", c, 2, 16, 16, 1, "VALID"));
    c = b.op("AvgPool", "pool2/AvgPool", p -> pool(p, 3, 1, "SAME"), c);
    Output<?> g = b.op("Mean", "gap/Mean", p -> p.setAttr("keep_dims", false), c, b.ints("gap/Mean/reduction_indices", 1, 2));
    b.output("logits", dense(b, "head", g, 16, 5, null));
  }

  private static Output<?> conv(SavedModelBuilder b, String name, Output<?> x, int k, int in, int out, int s, String pad) {
    Output<?> w = b.weight(name + "/kernel", 1 / Math.sqrt(k * k * in), k, k, in, out);
    Output<?> y = b.op("Conv2D", name + "/Conv2D", p -> p.setAttr("strides", new long[] {1, s, s, 1})
        .setAttr("padding", pad).setAttr("data_format", "NHWC").setAttr("dilations", new long[] {1, 1, 1, 1}), x, w);
    return b.op("BiasAdd", name + "/BiasAdd", y, b.weight(name + "/bias", 0.1, out));
  }

  private static Output<?> depthwise(SavedModelBuilder b, String name, Output<?> x, int in, int mult, int s, String pad) {
    Output<?> w = b.weight(name + "/depthwise_kernel", 1 / 3.0, 3, 3, in, mult);
    return b.op("DepthwiseConv2dNative", name + "/depthwise", p -> p.setAttr("strides", new long[] {1, s, s, 1})
        .setAttr("padding", pad).setAttr("data_format", "NHWC").setAttr("dilations", new long[] {1, 1, 1, 1}), x, w);
  }

  private static Output<?> batchNorm(SavedModelBuilder b, String name, Output<?> x, int c) {
    Output<?> gamma = b.uniformWeight(name + "/gamma", 0.5, 1.5, c);
    Output<?> beta = b.weight(name + "/beta", 0.1, c);
    Output<?> mean = b.weight(name + "/moving_mean", 0.2, c);
    Output<?> var = b.uniformWeight(name + "/moving_variance", 0.5, 1.5, c);
    return b.opAll("FusedBatchNormV3", name + "/FusedBatchNormV3", p -> p.setAttr("epsilon", 1e-3f)
        .setAttr("is_training", false).setAttr("data_format", "NHWC").setAttr("U", DataType.DT_FLOAT)
        .setAttr("exponential_avg_factor", 1f), x, gamma, beta, mean, var).output(0);
  }

  private static void pool(org.tensorflow.GraphOperationBuilder p, int k, int s, String pad) {
    p.setAttr("ksize", new long[] {1, k, k, 1}).setAttr("strides", new long[] {1, s, s, 1})
        .setAttr("padding", pad).setAttr("data_format", "NHWC");
  }

  /**
   * An LSTM cell unrolled over 4 steps: zero state from the batch size (Shape, StridedSlice, Pack,
   * Fill), per step x_t by StridedSlice, gates from one MatMul over ConcatV2([x_t, h]) split in four.
   */
  static void lstm(SavedModelBuilder b) {
    int steps = 4;
    int in = 6;
    int units = 5;
    Output<?> x = b.input("sequence", -1, steps, in);
    Output<?> batch = b.op("StridedSlice", "lstm/strided_slice", p -> p.setAttr("shrink_axis_mask", 1L),
        b.op("Shape", "lstm/Shape", x), b.ints("lstm/ss/begin", 0), b.ints("lstm/ss/end", 1), b.ints("lstm/ss/strides", 1));
    Output<?> dims = b.listOp("Pack", "lstm/zeros/packed", batch, b.ints("lstm/zeros/units", new int[] {units}, new long[0]))
        .setAttr("axis", 0L).build().output(0);
    Output<?> zero = b.constant("lstm/zeros/Const", new float[] {0f});
    Output<?> h = b.op("Fill", "lstm/zeros", dims, zero);
    Output<?> c = h;
    Output<?> kernel = b.weight("lstm/kernel", 1 / Math.sqrt(in + units), in + units, 4 * units);
    Output<?> bias = b.weight("lstm/bias", 0.1, 4 * units);
    Output<?> axis1 = b.ints("lstm/axis", new int[] {1}, new long[0]);
    List<Output<?>> hs = new ArrayList<>();
    for (int t = 0; t < steps; t++) {
      String s = "lstm/step" + t + "/";
      Output<?> xt = b.op("StridedSlice", s + "x_t", p -> p.setAttr("begin_mask", 5L).setAttr("end_mask", 5L)
              .setAttr("shrink_axis_mask", 2L),
          x, b.ints(s + "begin", 0, t, 0), b.ints(s + "end", 0, t + 1, 0), b.ints(s + "strides", 1, 1, 1));
      Output<?> xh = b.listOp("ConcatV2", s + "concat", xt, h).addInput(axis1).build().output(0);
      Output<?> z = b.op("BiasAdd", s + "BiasAdd", b.op("MatMul", s + "MatMul", xh, kernel), bias);
      var gates = b.opAll("Split", s + "split", p -> p.setAttr("num_split", 4L), axis1, z);
      Output<?> i = b.op("Sigmoid", s + "i", gates.output(0));
      Output<?> f = b.op("Sigmoid", s + "f", gates.output(1));
      Output<?> g = b.op("Tanh", s + "g", gates.output(2));
      Output<?> o = b.op("Sigmoid", s + "o", gates.output(3));
      c = b.op("AddV2", s + "c", b.op("Mul", s + "fc", f, c), b.op("Mul", s + "ig", i, g));
      h = b.op("Mul", s + "h", o, b.op("Tanh", s + "tanh_c", c));
      hs.add(h);
    }
    b.output("h", h);
    b.output("c", c);
    b.output("states", b.listOp("Pack", "lstm/stack", hs.toArray(new Output<?>[0])).setAttr("axis", 1L).build().output(0));
  }

  /** Keras MultiHeadAttention (2 heads of 4) as Keras writes it: Einsum projections and scores. */
  static void attentionEinsum(SavedModelBuilder b) {
    Output<?> x = b.input("tokens", -1, 5, 8);
    Output<?> q = projection(b, "mha/query", x);
    Output<?> k = projection(b, "mha/key", x);
    Output<?> v = projection(b, "mha/value", x);
    q = b.op("Mul", "mha/Mul", q, b.constant("mha/Mul/y", new float[] {0.5f}));
    Output<?> scores = einsum(b, "mha/einsum/Einsum", "aecd,abcd->acbe", k, q);
    Output<?> probs = b.op("Softmax", "mha/softmax/Softmax", scores);
    Output<?> ctx = einsum(b, "mha/einsum_1/Einsum", "acbe,aecd->abcd", probs, v);
    Output<?> wo = b.weight("mha/attention_output/kernel", 0.3, 2, 4, 8);
    Output<?> out = einsum(b, "mha/attention_output/einsum/Einsum", "abcd,cde->abe", ctx, wo);
    b.output("attended", b.op("AddV2", "mha/attention_output/add", out, b.weight("mha/attention_output/bias", 0.1, 8)));
  }

  private static Output<?> projection(SavedModelBuilder b, String name, Output<?> x) {
    Output<?> w = b.weight(name + "/kernel", 0.3, 8, 2, 4);
    Output<?> y = einsum(b, name + "/einsum/Einsum", "abc,cde->abde", x, w);
    return b.op("AddV2", name + "/add", y, b.weight(name + "/bias", 0.1, 2, 4));
  }

  /** Einsum takes its operands as one list input. */
  private static Output<?> einsum(SavedModelBuilder b, String name, String equation, Output<?>... operands) {
    return b.listOp("Einsum", name, operands).setAttr("equation", equation).build().output(0);
  }

  /**
   * Scaled dot-product attention written with matrix products: projections by MatMul on the
   * flattened tokens, heads split by Reshape and Transpose, BatchMatMulV2 (adj_y) for the scores.
   */
  static void attentionMatMul(SavedModelBuilder b) {
    Output<?> x = b.input("tokens", -1, 5, 8);
    Output<?> flat = b.op("Reshape", "attn/flat", x, b.ints("attn/flat/shape", -1, 8));
    Map<String, Output<?>> heads = new LinkedHashMap<>();
    for (String n : List.of("q", "k", "v")) {
      Output<?> p = b.op("MatMul", "attn/" + n + "/MatMul", flat, b.weight("attn/" + n + "/kernel", 0.3, 8, 8));
      p = b.op("Reshape", "attn/" + n + "/Reshape", p, b.ints("attn/" + n + "/shape", -1, 5, 2, 4));
      heads.put(n, b.op("Transpose", "attn/" + n + "/transpose", p, b.ints("attn/" + n + "/perm", 0, 2, 1, 3)));
    }
    Output<?> scores = b.op("BatchMatMulV2", "attn/scores", p -> p.setAttr("adj_y", true), heads.get("q"), heads.get("k"));
    scores = b.op("Mul", "attn/scale", scores, b.constant("attn/scale/y", new float[] {0.5f}));
    Output<?> probs = b.op("Softmax", "attn/Softmax", scores);
    Output<?> ctx = b.op("BatchMatMulV2", "attn/context", probs, heads.get("v"));
    ctx = b.op("Transpose", "attn/context/transpose", ctx, b.ints("attn/context/perm", 0, 2, 1, 3));
    ctx = b.op("Reshape", "attn/context/Reshape", ctx, b.ints("attn/context/shape", -1, 5, 8));
    Output<?> y = b.op("AddV2", "attn/residual", x, ctx);
    b.output("attended", y);
  }
}
