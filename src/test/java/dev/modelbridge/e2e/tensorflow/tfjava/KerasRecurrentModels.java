package dev.modelbridge.e2e.tensorflow.tfjava;

import static dev.modelbridge.e2e.tensorflow.tfjava.FunctionBuilder.out;

import dev.modelbridge.e2e.tensorflow.tfjava.KerasRnnFunctions.Layer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.tensorflow.Output;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;

/**
 * Sequential models of one LSTM, GRU or Bidirectional layer saved the way tf.keras 2 saves them: the
 * serving graph feeds the input and the variables' resource handles to a
 * {@code StatefulPartitionedCall} of {@code __inference_signature_wrapper}, which calls
 * {@code __inference__wrapped_model}; that reads the variables ({@code ReadVariableOp}), builds the
 * zero initial states and calls {@code standard_lstm}/{@code standard_gru} through a
 * {@code PartitionedCall} (see {@link KerasRnnFunctions}). The library also holds what the serving
 * path never calls: the cuDNN variants, gradient functions and a layer-call function. Variables are
 * restored as in TF2, through a call of {@code __inference__traced_restore} under object-graph keys
 * ({@link Tf2Restore}). Two models put a Masking layer first, whose mask the loop applies per step.
 */
final class KerasRecurrentModels {
  private static final int STEPS = 5;
  private static final int IN = 6;
  private static final int UNITS = 4;
  private static final DataType F = DataType.DT_FLOAT;
  private static final DataType R = DataType.DT_RESOURCE;

  private KerasRecurrentModels() {}

  static List<OracleModels.Spec> all() {
    return List.of(
        spec("keras_lstm_sequences", "lstm", false, new Layer(true, STEPS, IN, UNITS, true, false, false, false, "1201")),
        spec("keras_lstm_last", "lstm", false, new Layer(true, STEPS, IN, UNITS, false, false, true, false, "1202")),
        spec("keras_lstm_any_length_last", "lstm", false, new Layer(true, -1, IN, UNITS, false, false, true, false, "1209")),
        spec("keras_gru_any_length_sequences", "gru", false,
            new Layer(false, -1, IN, UNITS, true, false, false, false, "1203")),
        spec("keras_gru_last", "gru", false, new Layer(false, STEPS, IN, UNITS, false, false, true, false, "1204")),
        spec("keras_bilstm_any_length_sequences", "bidirectional", true,
            new Layer(true, -1, IN, UNITS, true, false, false, false, "1205"),
            new Layer(true, -1, IN, UNITS, true, true, false, false, "1206")),
        spec("keras_bigru_last", "bidirectional", true, new Layer(false, STEPS, IN, UNITS, false, false, false, false, "1207"),
            new Layer(false, STEPS, IN, UNITS, false, true, false, false, "1208")),
        spec("keras_masking_lstm_last", "lstm", false, new Layer(true, STEPS, IN, UNITS, false, false, false, true, "1210")),
        spec("keras_masking_gru_any_length_sequences", "gru", false,
            new Layer(false, -1, IN, UNITS, true, false, true, true, "1211")));
  }

  /** A model of {@code layers}; an input of unknown length is fed 7 steps. */
  private static OracleModels.Spec spec(String name, String layerName, boolean bidirectional, Layer... layers) {
    return new OracleModels.Spec(name, b -> build(b, layerName, bidirectional, List.of(layers)),
        Map.of("input_1", new long[] {3, layers[0].steps() < 0 ? 7 : STEPS, IN}));
  }

  /** The serving graph: input, variable handles, one call of the signature wrapper. */
  private static void build(SavedModelBuilder b, String layerName, boolean bidirectional, List<Layer> layers) {
    String id = layers.get(0).id();
    b.tf2Restore();
    List<Output<?>> in = new ArrayList<>(List.of(b.input("input_1", -1, layers.get(0).steps(), IN)));
    for (Layer l : layers) {
      String cell = "sequential/" + layerName + (bidirectional ? (l.goBackwards() ? "/backward_" : "/forward_")
          + l.kind() : "") + "/" + l.kind() + "_cell/";
      List<long[]> shapes = l.weightShapes();
      in.add(b.weightHandle(cell + "kernel", 1 / Math.sqrt(IN), shapes.get(0)));
      in.add(b.weightHandle(cell + "recurrent_kernel", 1 / Math.sqrt(UNITS), shapes.get(1)));
      in.add(b.weightHandle(cell + "bias", 0.1, shapes.get(2)));
    }
    List<DataType> tin = argTypes(layers);
    List<FunctionDef> library = new ArrayList<>();
    library.add(signatureWrapper(id, tin));
    library.add(model("__inference__wrapped_model_" + id, layerName, bidirectional, layers));
    // Keras also saves the layer's own traced call; the serving path does not use it.
    library.add(model("__inference_" + layerName + "_layer_call_fn_" + id, layerName, bidirectional, layers));
    layers.forEach(l -> library.addAll(KerasRnnFunctions.all(l)));
    b.functions(library.toArray(new FunctionDef[0]));
    long[] readOnly = new long[tin.size() - 1];
    for (int i = 0; i < readOnly.length; i++) {
      readOnly[i] = i + 1;
    }
    Output<?> call = b.listOp("StatefulPartitionedCall", "StatefulPartitionedCall", in.toArray(new Output<?>[0]))
        .setAttr("Tin", tin.toArray(new DataType[0])).setAttr("Tout", new DataType[] {F})
        .setAttr("f", FunctionBuilder.func("__inference_signature_wrapper_" + id))
        .setAttr("_read_only_resource_inputs", readOnly).setAttr("config", "").setAttr("executor_type", "")
        .build().output(0);
    b.output(layerName, call);
  }

  private static List<DataType> argTypes(List<Layer> layers) {
    List<DataType> t = new ArrayList<>(List.of(F));
    t.addAll(Collections.nCopies(3 * layers.size(), R));
    return t;
  }

  private static List<String> args(FunctionBuilder f, List<DataType> types) {
    List<String> a = new ArrayList<>(List.of(f.userArg("input_1", F)));
    for (int i = 1; i < types.size(); i++) {
      a.add(f.userArg(i == 1 ? "unknown" : "unknown_" + (i - 2), R));
    }
    return a;
  }

  /** {@code __inference_signature_wrapper}: calls the model function, returns its output. */
  private static FunctionDef signatureWrapper(String id, List<DataType> tin) {
    FunctionBuilder f = new FunctionBuilder("__inference_signature_wrapper_" + id);
    List<String> a = args(f, tin);
    String call = f.call("StatefulPartitionedCall", "StatefulPartitionedCall", "__inference__wrapped_model_" + id, a,
        tin, List.of(F));
    List<String> in = List.of(call, "^StatefulPartitionedCall");
    return f.build(List.of(f.op("Identity", "Identity", "output", in, "T", F)), List.of(F));
  }

  /**
   * The model's call: per layer, zero initial states from the batch size, the variables read, the
   * standard function called; Bidirectional reverses the backward sequence and concatenates.
   */
  private static FunctionDef model(String name, String layerName, boolean bidirectional, List<Layer> layers) {
    FunctionBuilder f = new FunctionBuilder(name).attr("_construction_context", "kEagerRuntime");
    List<String> a = args(f, argTypes(layers));
    List<String> results = new ArrayList<>();
    List<String> reads = new ArrayList<>();
    String x = a.get(0);
    List<String> mask = List.of();
    if (layers.get(0).masked()) {
      String[] masking = masking(f, x);
      x = masking[0];
      mask = List.of(masking[1], masking[2]);
    }
    for (int k = 0; k < layers.size(); k++) {
      Layer l = layers.get(k);
      String p = "sequential/" + layerName + (bidirectional ? (l.goBackwards() ? "/backward_" : "/forward_")
          + l.kind() : "") + "/";
      String batch = f.op("StridedSlice", p + "strided_slice", "output", List.of(f.op("Shape", p + "Shape", "output",
          List.of(x), "T", F, "out_type", DataType.DT_INT32), f.ints(p + "ss/b", new int[] {0}, 1),
          f.ints(p + "ss/e", new int[] {1}, 1), f.ints(p + "ss/s", new int[] {1}, 1)), "T", DataType.DT_INT32,
          "Index", DataType.DT_INT32, "shrink_axis_mask", 1L);
      List<String> in = new ArrayList<>(List.of(x));
      for (int s = 0; s < l.states(); s++) {
        String z = p + (s == 0 ? "zeros" : "zeros_" + s);
        String dims = f.op("Pack", z + "/packed", "output", List.of(batch, f.ints(z + "/packed/1", new int[] {UNITS})),
            "T", DataType.DT_INT32, "N", 2L, "axis", 0L);
        in.add(f.op("Fill", z, "output", List.of(dims, f.floatScalar(z + "/Const", 0f)), "T", F, "index_type",
            DataType.DT_INT32));
      }
      for (int v = 0; v < 3; v++) {
        String read = p + (v == 0 ? "ReadVariableOp" : "ReadVariableOp_" + v);
        in.add(f.op("ReadVariableOp", read, "value", List.of(a.get(1 + 3 * k + v)), "dtype", F));
        reads.add("^" + read);
      }
      in.addAll(mask);
      String call = f.call("PartitionedCall", p + "PartitionedCall", l.standard(), in, l.argTypes(), l.resultTypes());
      results.add(out(call, l.returnSequences() ? 1 : 0));
    }
    String y = results.get(0);
    if (bidirectional) {
      String p = "sequential/" + layerName + "/";
      String back = results.get(1);
      if (layers.get(1).returnSequences()) {
        back = f.op("ReverseV2", p + "ReverseV2", "output", List.of(back, f.ints(p + "ReverseV2/axis", new int[] {1}, 1)),
            "T", F, "Tidx", DataType.DT_INT32);
      }
      y = f.op("ConcatV2", p + "concat", "output", List.of(y, back, f.ints(p + "concat/axis", new int[] {-1})), "T", F,
          "N", 2L, "Tidx", DataType.DT_INT32);
    }
    String noOp = f.op("NoOp", "NoOp", "", reads);
    List<String> in = List.of(y, "^" + noOp.substring(0, noOp.indexOf(':')));
    return f.build(List.of(f.op("Identity", "Identity", "output", in, "T", F)), List.of(F));
  }

  /**
   * A Masking layer: the masked input, the mask [batch, steps] and the sequence lengths Keras computes
   * from it. Keras masks steps whose features all equal {@code mask_value}; here a step is kept when a
   * feature exceeds 0.8, so that random inputs give masks with both values.
   */
  private static String[] masking(FunctionBuilder f, String x) {
    String p = "sequential/masking/";
    String keep = f.op("Greater", p + "Greater", "z", List.of(x, f.floatScalar(p + "Greater/y", 0.8f)), "T", F);
    String any = f.op("Any", p + "Any", "output", List.of(keep, f.ints(p + "Any/reduction_indices", new int[] {-1})),
        "Tidx", DataType.DT_INT32, "keep_dims", true);
    String masked = f.math("Mul", p + "mul", F, x, f.op("Cast", p + "Cast", "y", List.of(any), "SrcT", DataType.DT_BOOL,
        "DstT", F, "Truncate", false));
    String mask = f.op("Any", p + "Any_1", "output", List.of(keep, f.ints(p + "Any_1/reduction_indices",
        new int[] {-1})), "Tidx", DataType.DT_INT32, "keep_dims", false);
    String q = "sequential/lstm/";
    String lengths = f.op("Sum", q + "Sum", "output", List.of(f.op("Cast", q + "Cast", "y", List.of(mask), "SrcT",
        DataType.DT_BOOL, "DstT", DataType.DT_INT32, "Truncate", false), f.ints(q + "Sum/reduction_indices",
        new int[] {1})), "T", DataType.DT_INT32, "Tidx", DataType.DT_INT32, "keep_dims", false);
    return new String[] {masked, mask, lengths};
  }
}
