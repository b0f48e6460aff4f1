package dev.modelbridge.e2e.tensorflow;

import dev.modelbridge.ir.Tensor;
import dev.modelbridge.tensorflow.bundle.TensorBundle;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;

/**
 * The known semantics of some corpus models, computed in plain Java from the formula the model's
 * author documented and the weights read from its checkpoint or constants. Independent of the
 * converter: only the checkpoint reader and the protobuf classes are shared.
 */
final class TfOracles {

  /** Expected outputs by name for the given float inputs by name. */
  interface Oracle {
    Map<String, float[]> expected(Map<String, float[]> inputs) throws Exception;
  }

  private TfOracles() {}

  /** The oracle for a corpus model (path relative to the corpus), if it has one. */
  static Optional<Oracle> forModel(Path corpus, String rel) {
    Path p = corpus.resolve(rel);
    if (rel.contains("half_plus_two")) {
      return Optional.of(in -> {
        float a = scalar(p.resolve("variables"), "a");
        float b = scalar(p.resolve("variables"), "b");
        return Map.of("y", map(in.get("x"), x -> a * x + b));
      });
    }
    if (rel.endsWith("x_plus_y_v2_debuginfo")) {
      return Optional.of(in -> Map.of("output_0", zip(in.get("x"), in.get("y"), Float::sum)));
    }
    if (rel.endsWith("VarsAndArithmeticObjectGraph")) {
      return Optional.of(in -> {
        Path v = p.resolve("variables");
        float x = scalar(v, "x/.ATTRIBUTES/VARIABLE_VALUE");
        float y = scalar(v, "y/.ATTRIBUTES/VARIABLE_VALUE");
        float z = scalar(v, "child/z/.ATTRIBUTES/VARIABLE_VALUE");
        float a = in.get("a")[0];
        float b = in.get("b")[0];
        return Map.of("output_0", new float[] {(a + x) * (b + y) / z + 5f});
      });
    }
    if (rel.endsWith("regression/saved_model")) {
      return Optional.of(in -> {
        float w = scalar(p.resolve("variables"), "W");
        float b = scalar(p.resolve("variables"), "b");
        String key = in.keySet().iterator().next();
        return Map.of("pred", map(in.get(key), x -> w * x + b));
      });
    }
    if (rel.endsWith("regression/graphdef/frozen.pb")) {
      return Optional.of(in -> {
        Map<String, float[]> c = consts(p);
        return Map.of("pred", map(in.get("X"), x -> c.get("W")[0] * x + c.get("b")[0]));
      });
    }
    if (rel.endsWith("multi_add.pb")) {
      return Optional.of(in -> {
        float[] i = zip(in.get("b"), in.get("c"), Float::sum);
        return Map.of("x", zip(in.get("a"), i, Float::sum), "y", zip(in.get("d"), i, Float::sum));
      });
    }
    if (rel.endsWith("fc-layers/frozen.pb")) {
      return Optional.of(in -> Map.of("output", dense(consts(p), in.get("X"),
          List.of("dense", "dense_1", "pred"), List.of("relu", "relu", "none"))));
    }
    if (rel.endsWith("ae0/frozen.pb")) {
      return Optional.of(in -> Map.of("output", dense(consts(p), in.get("X"),
          List.of("dense", "dense_1", "dense_2", "dense_3"), List.of("sigmoid", "sigmoid", "sigmoid", "sigmoid"))));
    }
    return Optional.empty();
  }

  /** A chain of dense layers {@code act(x W + b)} over a batch of rows. */
  private static float[] dense(Map<String, float[]> c, float[] x, List<String> layers, List<String> acts) {
    float[] h = x;
    for (int l = 0; l < layers.size(); l++) {
      float[] w = c.get(layers.get(l) + "/kernel");
      float[] b = c.get(layers.get(l) + "/bias");
      int out = b.length;
      int in = w.length / out;
      int rows = h.length / in;
      float[] y = new float[rows * out];
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < out; j++) {
          double s = b[j];
          for (int k = 0; k < in; k++) {
            s += (double) h[r * in + k] * w[k * out + j];
          }
          y[r * out + j] = switch (acts.get(l)) {
            case "relu" -> (float) Math.max(0, s);
            case "sigmoid" -> (float) (1 / (1 + Math.exp(-s)));
            default -> (float) s;
          };
        }
      }
      h = y;
    }
    return h;
  }

  private static float scalar(Path variables, String key) throws Exception {
    Tensor t = TensorBundle.open(variables).tensor(key, key);
    return t.data().bytes().getFloat(0);
  }

  /** The float constants of a frozen graph by node name. */
  private static Map<String, float[]> consts(Path graph) throws IOException {
    Map<String, float[]> out = new HashMap<>();
    for (NodeDef n : GraphDef.parseFrom(Files.readAllBytes(graph)).getNodeList()) {
      if (n.getOp().equals("Const") && n.getAttrMap().get("value").getTensor().getDtype() == org.tensorflow.proto.DataType.DT_FLOAT) {
        TensorProto t = n.getAttrMap().get("value").getTensor();
        float[] v;
        if (!t.getTensorContent().isEmpty()) {
          FloatBuffer fb = t.getTensorContent().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
          v = new float[fb.remaining()];
          fb.get(v);
        } else {
          v = new float[t.getFloatValCount()];
          for (int i = 0; i < v.length; i++) {
            v[i] = t.getFloatVal(i);
          }
        }
        out.put(n.getName(), v);
      }
    }
    return out;
  }

  private interface F1 {
    float apply(float x);
  }

  private interface F2 {
    float apply(float x, float y);
  }

  private static float[] map(float[] x, F1 f) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = f.apply(x[i]);
    }
    return y;
  }

  private static float[] zip(float[] a, float[] b, F2 f) {
    float[] y = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      y[i] = f.apply(a[i], b[b.length == 1 ? 0 : i]);
    }
    return y;
  }
}
