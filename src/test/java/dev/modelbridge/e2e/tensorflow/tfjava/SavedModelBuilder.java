package dev.modelbridge.e2e.tensorflow.tfjava;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.GraphOperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * Builds a TF1-style SavedModel with TensorFlow Java, op by op through {@code opBuilder}, so that
 * the graph holds exactly the ops Keras emits (AddV2, not Add). Weights are resource variables
 * ({@code VarHandleOp}, read by {@code ReadVariableOp}) with random seeded values that live only in
 * the checkpoint: they are assigned from fed placeholders before export, never stored as constants.
 *
 * <p>TensorFlow Java 1.1.0's exporter saves only reference variables ({@code VariableV2}); it uses
 * the graph's own saver when the graph has a {@code save/restore_all} op. So {@link #export} adds
 * the saver TensorFlow's Python {@code Saver} would ({@code save/filename}, {@code save/SaveV2},
 * {@code save/control_dependency}, {@code save/RestoreV2} and one {@code AssignVariableOp} per
 * variable grouped as {@code save/restore_all}), which writes {@code variables/} and a SaverDef.
 */
public final class SavedModelBuilder implements AutoCloseable {
  private record Variable(String name, GraphOperation handle, long[] shape, float[] initial) {}

  private final Graph graph = new Graph();
  private final SplittableRandom random;
  private final List<Variable> variables = new ArrayList<>();
  private final Map<String, Output<?>> inputs = new LinkedHashMap<>();
  private final Map<String, Output<?>> outputs = new LinkedHashMap<>();
  private final TreeSet<String> opsUsed = new TreeSet<>();
  private int counter;
  private boolean tf2Restore;

  public SavedModelBuilder(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A float32 signature input; -1 marks a dimension of unknown size (the batch). */
  public Output<?> input(String name, long... shape) {
    Output<?> x = builder("Placeholder", name).setAttr("dtype", DataType.DT_FLOAT).setAttr("shape", Shape.of(shape))
        .build().output(0);
    inputs.put(name, x);
    return x;
  }

  /** Declares {@code value} as the signature output {@code name}. */
  public void output(String name, Output<?> value) {
    outputs.put(name, value);
  }

  /** A resource variable of Gaussian values times {@code scale}, read once per call. */
  public Output<?> weight(String name, double scale, long... shape) {
    return weight(name, shape, n -> (float) (random.nextGaussian() * scale));
  }

  /** A resource variable of uniform values in [lo, hi), such as a batch norm's variance. */
  public Output<?> uniformWeight(String name, double lo, double hi, long... shape) {
    return weight(name, shape, n -> (float) (lo + random.nextDouble() * (hi - lo)));
  }

  /** A resource variable of Gaussian values times {@code scale}: its handle, for a loop body that reads it. */
  public Output<?> weightHandle(String name, double scale, long... shape) {
    return handle(name, shape, n -> (float) (random.nextGaussian() * scale)).output(0);
  }

  private Output<?> weight(String name, long[] shape, java.util.function.IntToDoubleFunction values) {
    GraphOperation handle = handle(name, shape, values);
    return builder("ReadVariableOp", name + "/Read/ReadVariableOp_" + counter++).addInput(handle.output(0))
        .setAttr("dtype", DataType.DT_FLOAT).build().output(0);
  }

  private GraphOperation handle(String name, long[] shape, java.util.function.IntToDoubleFunction values) {
    float[] v = new float[(int) Shape.of(shape).size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) values.applyAsDouble(i);
    }
    GraphOperation handle = builder("VarHandleOp", name).setAttr("dtype", DataType.DT_FLOAT)
        .setAttr("shape", Shape.of(shape)).setAttr("shared_name", name).build();
    variables.add(new Variable(name, handle, shape, v));
    return handle;
  }

  /** A float32 constant. */
  public Output<?> constant(String name, float[] values, long... shape) {
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false))) {
      return builder("Const", name).setAttr("dtype", DataType.DT_FLOAT).setAttr("value", t).build().output(0);
    }
  }

  /** An int32 constant, such as axes or a shape. */
  public Output<?> ints(String name, int[] values, long... shape) {
    try (TInt32 t = TInt32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false))) {
      return builder("Const", name).setAttr("dtype", DataType.DT_INT32).setAttr("value", t).build().output(0);
    }
  }

  /** An int32 vector constant. */
  public Output<?> ints(String name, int... values) {
    return ints(name, values, values.length);
  }

  /** One op of the model, its output 0; {@code attrs} sets attributes (types are inferred from inputs). */
  public Output<?> op(String type, String name, Consumer<GraphOperationBuilder> attrs, Output<?>... in) {
    return opAll(type, name, attrs, in).output(0);
  }

  /** One op of the model without attributes beyond the inferred types. */
  public Output<?> op(String type, String name, Output<?>... in) {
    return op(type, name, b -> {}, in);
  }

  /**
   * Restores the variables as a TF2 SavedModel does, through a function call, from keys that are
   * not the variables' names ({@link Tf2Restore}).
   */
  public void tf2Restore() {
    tf2Restore = true;
  }

  /** Adds functions to the graph's library, such as the cond and body of a While. */
  public void functions(FunctionDef... functions) {
    FunctionDefLibrary.Builder lib = FunctionDefLibrary.newBuilder();
    for (FunctionDef f : functions) {
      lib.addFunction(f);
      f.getNodeDefList().stream().map(n -> n.getOp()).filter(op -> !op.equals("Const")).forEach(opsUsed::add);
    }
    graph.importGraphDef(GraphDef.newBuilder().setLibrary(lib).build());
  }

  /** One op of the model, for ops with several outputs. */
  public GraphOperation opAll(String type, String name, Consumer<GraphOperationBuilder> attrs, Output<?>... in) {
    opsUsed.add(type);
    GraphOperationBuilder b = builder(type, name);
    for (Output<?> x : in) {
      b.addInput(x);
    }
    attrs.accept(b);
    return b.build();
  }

  /** An op whose one input is a list, such as ConcatV2's values or Pack. */
  public GraphOperationBuilder listOp(String type, String name, Output<?>... list) {
    opsUsed.add(type);
    return builder(type, name).addInputList(list);
  }

  /** The model ops used so far, sorted (sources, variables and the saver left out). */
  public TreeSet<String> opsUsed() {
    return new TreeSet<>(opsUsed);
  }

  /** The signature's inputs by name, in declaration order. */
  public Map<String, Output<?>> inputs() {
    return Map.copyOf(inputs);
  }

  /**
   * Assigns the variables their random values, adds the saver and writes the SavedModel (tag
   * {@code serve}, signature {@code serving_default}) to {@code dir}.
   */
  public void export(Path dir) throws IOException {
    List<GraphOperation> inits = new ArrayList<>();
    for (Variable v : variables) {
      Output<?> value = builder("Placeholder", v.name() + "/initial_value").setAttr("dtype", DataType.DT_FLOAT)
          .setAttr("shape", Shape.of(v.shape())).build().output(0);
      inits.add(builder("AssignVariableOp", v.name() + "/Assign").addInput(v.handle().output(0)).addInput(value)
          .setAttr("dtype", DataType.DT_FLOAT).build());
    }
    if (tf2Restore) {
      addTf2Restore();
    }
    addSaver();
    Signature.Builder sig = Signature.builder().key(Signature.DEFAULT_KEY);
    inputs.forEach(sig::input);
    outputs.forEach(sig::output);
    try (Session session = new Session(graph)) {
      Session.Runner init = session.runner();
      List<Tensor> fed = new ArrayList<>();
      try {
        for (int i = 0; i < variables.size(); i++) {
          Variable v = variables.get(i);
          TFloat32 t = TFloat32.tensorOf(Shape.of(v.shape()), DataBuffers.of(v.initial(), true, false));
          fed.add(t);
          init.feed(v.name() + "/initial_value", t).addTarget(inits.get(i));
        }
        if (!variables.isEmpty()) {
          init.run().close();
        }
      } finally {
        fed.forEach(Tensor::close);
      }
      SavedModelBundle.exporter(dir.toString()).withTags("serve").withSession(session).withSignature(sig.build()).export();
    }
    if (tf2Restore) {
      Tf2Restore.patch(dir);
    }
  }

  private void addTf2Restore() {
    FunctionDef restore = Tf2Restore.function(variables.size());
    graph.importGraphDef(GraphDef.newBuilder().setLibrary(FunctionDefLibrary.newBuilder().addFunction(restore)).build());
    GraphOperationBuilder call = builder("StatefulPartitionedCall", Tf2Restore.CALL);
    List<Output<?>> in = new ArrayList<>();
    in.add(builder("Placeholder", Tf2Restore.FILENAME).setAttr("dtype", DataType.DT_STRING).setAttr("shape", Shape.scalar())
        .build().output(0));
    variables.forEach(v -> in.add(v.handle().output(0)));
    DataType[] tin = new DataType[in.size()];
    java.util.Arrays.fill(tin, DataType.DT_RESOURCE);
    tin[0] = DataType.DT_STRING;
    call.addInputList(in.toArray(new Output<?>[0])).setAttr("Tin", tin).setAttr("Tout", new DataType[] {DataType.DT_STRING})
        .setAttr("f", FunctionBuilder.func(Tf2Restore.FUNCTION)).setAttr("config", "").setAttr("executor_type", "").build();
  }

  /** The ops TensorFlow's Python Saver adds for resource variables, with the names TF Java looks for. */
  private void addSaver() {
    int n = variables.size();
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = tf2Restore ? Tf2Restore.key(i) : variables.get(i).name();
    }
    String[] slices = new String[n];
    java.util.Arrays.fill(slices, "");
    Output<?> filename;
    try (TString model = TString.scalarOf("model")) {
      Output<?> dflt = builder("Const", "save/Const").setAttr("dtype", DataType.DT_STRING).setAttr("value", model)
          .build().output(0);
      filename = builder("PlaceholderWithDefault", "save/filename").addInput(dflt).setAttr("shape", Shape.scalar())
          .build().output(0);
    }
    Output<?> tensorNames = strings("save/SaveV2/tensor_names", names);
    Output<?> shapeAndSlices = strings("save/SaveV2/shape_and_slices", slices);
    Output<?>[] reads = new Output<?>[n];
    for (int i = 0; i < n; i++) {
      reads[i] = builder("ReadVariableOp", "save/Read_" + i).addInput(variables.get(i).handle().output(0))
          .setAttr("dtype", DataType.DT_FLOAT).build().output(0);
    }
    GraphOperation save = builder("SaveV2", "save/SaveV2").addInput(filename).addInput(tensorNames)
        .addInput(shapeAndSlices).addInputList(reads).build();
    builder("Identity", "save/control_dependency").addInput(filename).addControlInput(save).build();

    Output<?> restoreNames = strings("save/RestoreV2/tensor_names", names);
    Output<?> restoreSlices = strings("save/RestoreV2/shape_and_slices", slices);
    DataType[] dtypes = new DataType[n];
    java.util.Arrays.fill(dtypes, DataType.DT_FLOAT);
    GraphOperation restore = builder("RestoreV2", "save/RestoreV2").addInput(filename).addInput(restoreNames)
        .addInput(restoreSlices).setAttr("dtypes", dtypes).build();
    GraphOperationBuilder all = builder("NoOp", "save/restore_all");
    for (int i = 0; i < n; i++) {
      Output<?> value = builder("Identity", "save/Identity_" + i).addInput(restore.output(i)).build().output(0);
      all.addControlInput(builder("AssignVariableOp", "save/AssignVariableOp_" + i)
          .addInput(variables.get(i).handle().output(0)).addInput(value).setAttr("dtype", DataType.DT_FLOAT).build());
    }
    all.build();
  }

  private Output<?> strings(String name, String[] values) {
    try (TString t = TString.vectorOf(values)) {
      return builder("Const", name).setAttr("dtype", DataType.DT_STRING).setAttr("value", t).build().output(0);
    }
  }

  private GraphOperationBuilder builder(String type, String name) {
    return (GraphOperationBuilder) graph.opBuilder(type, name, graph.baseScope());
  }

  @Override
  public void close() {
    graph.close();
  }
}
