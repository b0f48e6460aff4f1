package dev.modelbridge.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The op tests' oracle: TensorFlow Java runs a tiny GraphDef, ONNX Runtime runs our conversion of
 * it, with the same inputs; the outputs must agree (1e-4 absolute for floats, exactly otherwise).
 */
final class TfVsOrt {
  /** An input: float values (a float[]) or int32 values (an int[]) of the given shape. */
  record Feed(String name, long[] shape, Object values) {
    static Feed floats(String name, long... shape) {
      SplittableRandom r = new SplittableRandom(name.hashCode());
      int n = 1;
      for (long d : shape) {
        n *= (int) d;
      }
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) (r.nextDouble() * 4 - 2);
      }
      return new Feed(name, shape, v);
    }
  }

  private TfVsOrt() {}

  /** Converts {@code g} (outputs {@code outputs}), runs both, asserts agreement; returns the model. */
  static Model check(Path dir, GraphDef g, List<Feed> feeds, String... outputs) throws Exception {
    return check(dir, g, ReadOptions.defaults(), feeds, outputs);
  }

  static Model check(Path dir, GraphDef g, ReadOptions extra, List<Feed> feeds, String... outputs) throws Exception {
    Path pb = dir.resolve("g.pb");
    Files.write(pb, g.toByteArray());
    ReadOptions options = extra.with(ReadOptions.OUTPUTS, String.join(",", outputs));
    Model m = new GraphDefFormat().read(pb, options);
    Path onnx = dir.resolve("g.onnx");
    ModelBridge.create().convert(pb).readOptions(options).to("onnx").overwrite(true).writeTo(onnx);
    Map<String, double[]> tf = runTf(g, feeds, outputs);
    Map<String, double[]> ort = runOrt(onnx, feeds, outputs);
    for (String o : outputs) {
      double[] want = tf.get(o);
      double[] got = ort.get(o);
      assertEquals(want.length, got.length, o + ": element count");
      for (int i = 0; i < want.length; i++) {
        boolean same = Double.isNaN(want[i]) ? Double.isNaN(got[i]) : Math.abs(want[i] - got[i]) <= 1e-4
            || want[i] == got[i];
        assertTrue(same, o + "[" + i + "]: TensorFlow " + want[i] + ", ONNX Runtime " + got[i]);
      }
    }
    return m;
  }

  static long count(Model m, String opType) {
    return m.graph().nodes().stream().map(Node::opType).filter(opType::equals).count();
  }

  static Map<String, double[]> runTf(GraphDef def, List<Feed> feeds, String... outputs) {
    Map<String, double[]> out = new HashMap<>();
    try (Graph g = new Graph()) {
      g.importGraphDef(def);
      try (Session s = new Session(g)) {
        Session.Runner r = s.runner();
        List<org.tensorflow.Tensor> inputs = new ArrayList<>();
        for (Feed f : feeds) {
          org.tensorflow.Tensor t = f.values() instanceof float[] v
              ? TFloat32.tensorOf(Shape.of(f.shape()), DataBuffers.of(v, true, false))
              : TInt32.tensorOf(Shape.of(f.shape()), DataBuffers.of((int[]) f.values(), true, false));
          inputs.add(t);
          r.feed(f.name(), t);
        }
        for (String o : outputs) {
          r.fetch(o);
        }
        try (Result res = r.run()) {
          for (int i = 0; i < outputs.length; i++) {
            org.tensorflow.Tensor t = res.get(i);
            org.tensorflow.ndarray.buffer.ByteDataBuffer data = t.asRawTensor().data();
            byte[] bytes = new byte[(int) data.size()];
            data.read(bytes);
            out.put(outputs[i], bytesToDoubles(ByteBuffer.wrap(bytes), t.dataType().name()));
          }
        } finally {
          inputs.forEach(org.tensorflow.Tensor::close);
        }
      }
    }
    return out;
  }

  private static double[] bytesToDoubles(ByteBuffer raw, String dtype) {
    ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int size = switch (dtype) {
      case "DT_FLOAT", "DT_INT32" -> 4;
      case "DT_INT64", "DT_DOUBLE" -> 8;
      case "DT_BOOL", "DT_UINT8", "DT_INT8" -> 1;
      default -> throw new IllegalArgumentException("dtype " + dtype);
    };
    double[] d = new double[b.remaining() / size];
    for (int i = 0; i < d.length; i++) {
      d[i] = switch (dtype) {
        case "DT_FLOAT" -> b.getFloat();
        case "DT_INT32" -> b.getInt();
        case "DT_INT64" -> b.getLong();
        case "DT_DOUBLE" -> b.getDouble();
        default -> b.get();
      };
    }
    return d;
  }

  static Map<String, double[]> runOrt(Path onnx, List<Feed> feeds, String... outputs) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, double[]> out = new LinkedHashMap<>();
    try (OrtSession s = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
      Map<String, OnnxTensor> in = new LinkedHashMap<>();
      for (Feed f : feeds) {
        in.put(f.name(), f.values() instanceof float[] v
            ? OnnxTensor.createTensor(env, FloatBuffer.wrap(v), f.shape())
            : OnnxTensor.createTensor(env, IntBuffer.wrap((int[]) f.values()), f.shape()));
      }
      try (OrtSession.Result r = s.run(in)) {
        for (String o : outputs) {
          OnnxTensor t = (OnnxTensor) r.get(o).orElseThrow();
          out.put(o, switch (t.getInfo().type) {
            case FLOAT -> toDoubles(t.getFloatBuffer());
            case INT32 -> toDoubles(t.getIntBuffer());
            case INT64 -> toDoubles(t.getLongBuffer());
            case BOOL, UINT8, INT8 -> bytesToDoubles(t.getByteBuffer(), "DT_BOOL");
            default -> throw new IllegalArgumentException("ORT output type " + t.getInfo().type);
          });
        }
      } finally {
        in.values().forEach(OnnxTensor::close);
      }
    }
    return out;
  }

  private static double[] toDoubles(FloatBuffer b) {
    double[] d = new double[b.remaining()];
    for (int i = 0; i < d.length; i++) {
      d[i] = b.get(i);
    }
    return d;
  }

  private static double[] toDoubles(IntBuffer b) {
    double[] d = new double[b.remaining()];
    for (int i = 0; i < d.length; i++) {
      d[i] = b.get(i);
    }
    return d;
  }

  private static double[] toDoubles(LongBuffer b) {
    double[] d = new double[b.remaining()];
    for (int i = 0; i < d.length; i++) {
      d[i] = b.get(i);
    }
    return d;
  }

}
