package dev.modelbridge.e2e.scale;

import com.google.protobuf.ByteString;
import dev.modelbridge.ModelException;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.tensorflow.bundle.TensorBundleWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.proto.VersionDef;

/**
 * Generates a large TensorFlow SavedModel without holding its variables on the heap: a TF1-style
 * graph {@code x[?,n] -> MatMul(ReadVariableOp(w0)) -> ... -> y[?,n]} of {@code k} float resource
 * variables {@code n x n}, with the saver's {@code RestoreV2} + {@code AssignVariableOp} restore op
 * that TensorFlow's loader runs (and from which our reader maps variables to checkpoint keys). The
 * default 16 matrices of 4096 x 4096 make 1 GiB of variables.
 *
 * <p>The weights are written in bulk to a raw file ({@link ScaleModelGenerator#writeWeights}), the
 * checkpoint's tensors are {@link Tensor#ofFileRegion} views of it, and our
 * {@link TensorBundleWriter} copies them channel to channel into the data shard. The graph is built
 * with TensorFlow's own protobuf classes.
 *
 * <p>Runnable on its own for benchmarks: {@code ScaleSavedModelGenerator DIR [layers] [size]}.
 */
public final class ScaleSavedModelGenerator {
  public static final int DEFAULT_SIZE = 4096;
  public static final int DEFAULT_LAYERS = 16;
  /** A GraphDef producer version of TensorFlow 2.x; any recent one loads. */
  private static final int GRAPH_PRODUCER = 1205;

  /** What {@link #generate} wrote and how long it took. */
  public record Generated(Path dir, int layers, int size, long weightBytes, Duration elapsed) {
    /** The checkpoint key of layer {@code i}'s variable. */
    public String key(int i) {
      return ScaleSavedModelGenerator.key(i);
    }
  }

  private ScaleSavedModelGenerator() {}

  /** The checkpoint key (and shared name) of layer {@code i}'s variable. */
  public static String key(int i) {
    return "dense_" + i + "/kernel";
  }

  /**
   * Writes the SavedModel folder {@code dir} ({@code saved_model.pb}, {@code variables/}). The raw
   * weights file used as the source is deleted afterwards, since the checkpoint holds a copy.
   */
  public static Generated generate(Path dir, int layers, int size, long seed) throws IOException, ModelException {
    long start = System.nanoTime();
    Path variables = Files.createDirectories(dir.resolve("variables"));
    Path raw = dir.resolve("weights.raw");
    long matrixBytes = (long) size * size * Float.BYTES;
    try {
      ScaleModelGenerator.writeWeights(raw, layers, size, seed);
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (int i = 0; i < layers; i++) {
        tensors.put(key(i), Tensor.ofFileRegion(
            key(i), ElementType.FLOAT, new long[] {size, size}, raw, i * matrixBytes, matrixBytes));
      }
      TensorBundleWriter.write(variables.resolve("variables"), tensors);
    } finally {
      Files.deleteIfExists(raw);
    }
    SavedModel model = SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(metaGraph(layers, size)).build();
    try (OutputStream out = Files.newOutputStream(dir.resolve("saved_model.pb"))) {
      model.writeTo(out);
    }
    return new Generated(dir, layers, size, layers * matrixBytes, Duration.ofNanos(System.nanoTime() - start));
  }

  /** The MetaGraph tagged {@code serve}: graph, {@code serving_default} signature and saver. */
  static MetaGraphDef metaGraph(int layers, int size) {
    GraphDef.Builder g = GraphDef.newBuilder().setVersions(VersionDef.newBuilder().setProducer(GRAPH_PRODUCER));
    TensorShapeProto xShape = shape(-1, size);
    g.addNode(node("x", "Placeholder").putAttr("dtype", type(DataType.DT_FLOAT)).putAttr("shape", shapeAttr(xShape)));
    String current = "x";
    for (int i = 0; i < layers; i++) {
      String w = "dense_" + i + "/kernel";
      g.addNode(node(w, "VarHandleOp")
          .putAttr("dtype", type(DataType.DT_FLOAT))
          .putAttr("shape", shapeAttr(shape(size, size)))
          .putAttr("shared_name", AttrValue.newBuilder().setS(ByteString.copyFromUtf8(w)).build())
          .putAttr("container", AttrValue.newBuilder().setS(ByteString.EMPTY).build()));
      g.addNode(node("dense_" + i + "/read", "ReadVariableOp").addInput(w).putAttr("dtype", type(DataType.DT_FLOAT)));
      String mm = "dense_" + i + "/MatMul";
      g.addNode(node(mm, "MatMul").addInput(current).addInput("dense_" + i + "/read")
          .putAttr("T", type(DataType.DT_FLOAT))
          .putAttr("transpose_a", AttrValue.newBuilder().setB(false).build())
          .putAttr("transpose_b", AttrValue.newBuilder().setB(false).build()));
      current = mm;
    }
    g.addNode(node("y", "Identity").addInput(current).putAttr("T", type(DataType.DT_FLOAT)));
    addRestore(g, layers);

    SignatureDef sig = SignatureDef.newBuilder()
        .putInputs("x", TensorInfo.newBuilder().setName("x:0").setDtype(DataType.DT_FLOAT).setTensorShape(xShape).build())
        .putOutputs("y", TensorInfo.newBuilder().setName("y:0").setDtype(DataType.DT_FLOAT).setTensorShape(xShape).build())
        .setMethodName("tensorflow/serving/predict")
        .build();
    return MetaGraphDef.newBuilder()
        .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve"))
        .setGraphDef(g)
        .putSignatureDef("serving_default", sig)
        .setSaverDef(SaverDef.newBuilder()
            .setFilenameTensorName("save/Const:0")
            .setSaveTensorName("save/Const:0")
            .setRestoreOpName("save/restore_all")
            .setVersion(SaverDef.CheckpointFormatVersion.V2))
        .build();
  }

  /**
   * The restore op TensorFlow's loader runs with the variables prefix fed to {@code save/Const}: one
   * {@code RestoreV2} of every key, an {@code AssignVariableOp} per variable, a {@code NoOp} after all.
   */
  private static void addRestore(GraphDef.Builder g, int layers) {
    g.addNode(node("save/Const", "Const").putAttr("dtype", type(DataType.DT_STRING))
        .putAttr("value", AttrValue.newBuilder().setTensor(strings(shape(), "model")).build()));
    String[] keys = new String[layers];
    String[] slices = new String[layers];
    AttrValue.ListValue.Builder dtypes = AttrValue.ListValue.newBuilder();
    for (int i = 0; i < layers; i++) {
      keys[i] = key(i);
      slices[i] = "";
      dtypes.addType(DataType.DT_FLOAT);
    }
    g.addNode(node("save/RestoreV2/tensor_names", "Const").putAttr("dtype", type(DataType.DT_STRING))
        .putAttr("value", AttrValue.newBuilder().setTensor(strings(shape(layers), keys)).build()));
    g.addNode(node("save/RestoreV2/shape_and_slices", "Const").putAttr("dtype", type(DataType.DT_STRING))
        .putAttr("value", AttrValue.newBuilder().setTensor(strings(shape(layers), slices)).build()));
    g.addNode(node("save/RestoreV2", "RestoreV2")
        .addInput("save/Const").addInput("save/RestoreV2/tensor_names").addInput("save/RestoreV2/shape_and_slices")
        .putAttr("dtypes", AttrValue.newBuilder().setList(dtypes).build()));
    NodeDef.Builder all = node("save/restore_all", "NoOp");
    for (int i = 0; i < layers; i++) {
      String assign = "save/AssignVariableOp_" + i;
      g.addNode(node(assign, "AssignVariableOp")
          .addInput("dense_" + i + "/kernel").addInput(i == 0 ? "save/RestoreV2" : "save/RestoreV2:" + i)
          .putAttr("dtype", type(DataType.DT_FLOAT)));
      all.addInput("^" + assign);
    }
    g.addNode(all);
  }

  private static NodeDef.Builder node(String name, String op) {
    return NodeDef.newBuilder().setName(name).setOp(op);
  }

  private static AttrValue type(DataType t) {
    return AttrValue.newBuilder().setType(t).build();
  }

  private static AttrValue shapeAttr(TensorShapeProto s) {
    return AttrValue.newBuilder().setShape(s).build();
  }

  private static TensorShapeProto shape(long... dims) {
    TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
    for (long d : dims) {
      b.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    }
    return b.build();
  }

  private static TensorProto strings(TensorShapeProto shape, String... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(shape);
    for (String v : values) {
      t.addStringVal(ByteString.copyFromUtf8(v));
    }
    return t.build();
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: ScaleSavedModelGenerator DIR [layers] [size]");
      System.exit(2);
    }
    int layers = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_LAYERS;
    int size = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_SIZE;
    Generated g = generate(Path.of(args[0]), layers, size, ScaleModelGenerator.DEFAULT_SEED);
    System.out.printf("generated %s (%d x MatMul %dx%d, %d bytes of variables) in %.1f s%n",
        g.dir(), g.layers(), g.size(), g.size(), g.weightBytes(), g.elapsed().toMillis() / 1000.0);
  }
}
