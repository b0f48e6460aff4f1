package dev.modelbridge.e2e.tensorflow.tfjava;

import static dev.modelbridge.e2e.tensorflow.tfjava.FunctionBuilder.out;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;

/**
 * The library functions tf.keras 2 writes for one LSTM or GRU layer that is not unrolled:
 * {@code standard_lstm}/{@code standard_gru} ({@code _api_implements} an interface shared with the
 * cuDNN variant) holding Keras' {@code backend.rnn} While loop, and the loop's cond and body; plus
 * the functions the serving path never calls ({@link KerasRnnAlternatives}).
 */
final class KerasRnnFunctions {
  private static final DataType F = DataType.DT_FLOAT;
  private static final DataType I32 = DataType.DT_INT32;
  private static final DataType V = DataType.DT_VARIANT;

  private KerasRnnFunctions() {}

  /**
   * One layer: LSTM or GRU (reset_after), sizes ({@code steps} -1 when the input's time dimension is
   * unknown), Keras options, whether the loop is bounded by {@code maximum_iterations} (Keras passes
   * one only when building for XLA; otherwise while_v2 passes -1 and its cond ignores the counter),
   * whether a mask comes with the input (the loop then carries the previous output and keeps output
   * and states where the mask is false), and the id that makes the layer's function names unique.
   */
  record Layer(boolean lstm, int steps, int in, int units, boolean returnSequences, boolean goBackwards,
      boolean bounded, boolean masked, String id) {
    int states() {
      return lstm ? 2 : 1;
    }

    String kind() {
      return lstm ? "lstm" : "gru";
    }

    String standard() {
      return "__inference_standard_" + kind() + "_" + id;
    }

    /** The standard function's arguments: inputs, initial states, kernel, recurrent kernel, bias, [mask, lengths]. */
    List<DataType> argTypes() {
      List<DataType> t = new ArrayList<>(java.util.Collections.nCopies(4 + states(), F));
      if (masked) {
        t.addAll(List.of(DataType.DT_BOOL, I32));
      }
      return t;
    }

    /** Where the states start among the loop variables, after the previous output when masked. */
    int firstState() {
      return masked ? 5 : 4;
    }

    /** Where the number of steps is among the loop variables; the input list (and mask list) follow. */
    int stepsIndex() {
      return firstState() + states();
    }

    int firstWeight() {
      return stepsIndex() + (masked ? 3 : 2);
    }

    /** Its results: last output, the output sequence, final states, runtime. */
    List<DataType> resultTypes() {
      return java.util.Collections.nCopies(3 + states(), F);
    }

    /** The shapes of kernel, recurrent kernel and bias as the layer's variables hold them. */
    List<long[]> weightShapes() {
      int g = (lstm ? 4 : 3) * units;
      return List.of(new long[] {in, g}, new long[] {units, g}, lstm ? new long[] {g} : new long[] {2, g});
    }
  }

  /** Every function the layer adds to the library. */
  static List<FunctionDef> all(Layer l) {
    return List.of(standard(l), cond(l), body(l), KerasRnnAlternatives.cudnn(l), KerasRnnAlternatives.backward(l));
  }

  /**
   * The loop variables' types: counter, maximum iterations, time, output list, [previous output],
   * states, steps, input list, [mask list], weights.
   */
  private static List<DataType> loopTypes(Layer l) {
    List<DataType> t = new ArrayList<>(List.of(I32, I32, I32, V));
    t.addAll(java.util.Collections.nCopies(l.firstState() - 4 + l.states(), F));
    t.addAll(List.of(I32, V));
    if (l.masked()) {
      t.add(V);
    }
    t.addAll(java.util.Collections.nCopies(l.lstm() ? 3 : 4, F));
    return t;
  }

  static FunctionBuilder interfaceFunction(Layer l, String name, String device) {
    return new FunctionBuilder(name).attr("_api_implements", l.kind() + "_" + l.id() + "-5d7a-4b1c-9f0e-2a6c4e8b1d3f")
        .attr("_api_preferred_device", device).attr("time_major", false).attr("go_backwards", l.goBackwards())
        .attr("_construction_context", "kEagerRuntime");
  }

  static List<String> interfaceArgs(Layer l, FunctionBuilder f) {
    List<String> a = new ArrayList<>(List.of(f.userArg("inputs", F), f.userArg("init_h", F)));
    if (l.lstm()) {
      a.add(f.userArg("init_c", F));
    }
    a.addAll(List.of(f.userArg("kernel", F), f.userArg("recurrent_kernel", F), f.userArg("bias", F)));
    if (l.masked()) {
      a.addAll(List.of(f.userArg("mask", DataType.DT_BOOL), f.userArg("sequence_lengths", I32)));
    }
    return a;
  }

  /** {@code standard_lstm}/{@code standard_gru}: Keras' backend.rnn around the While loop. */
  static FunctionDef standard(Layer l) {
    FunctionBuilder f = interfaceFunction(l, l.standard(), "CPU");
    List<String> a = interfaceArgs(l, f);
    List<String> states = a.subList(1, 1 + l.states());
    String kernel = a.get(1 + l.states());
    String rk = a.get(2 + l.states());
    String bias = a.get(3 + l.states());
    List<String> weights;
    if (l.lstm()) {
      weights = List.of(kernel, rk, bias);
    } else {
      String unstack = f.op("Unpack", "unstack", "output", List.of(bias), "T", F, "num", 2L, "axis", 0L);
      weights = List.of(kernel, out(unstack, 0), rk, out(unstack, 1));
    }
    String tm = transpose(f, "transpose", a.get(0), F);
    String steps = slice(f, "strided_slice", f.op("Shape", "Shape", "output", List.of(tm), "T", F, "out_type", I32), I32, 0, 1);
    // The input TensorArray before unstack replaced it: unused, elements of unknown rank.
    f.op("TensorListReserve", "TensorArrayV2", "handle", List.of(f.ints("TensorArrayV2/element_shape", new int[] {-1}),
        steps), "element_dtype", F, "shape_type", I32);
    String source = !l.goBackwards() ? tm : f.op("ReverseV2", "ReverseV2", "output",
        List.of(tm, f.ints("ReverseV2/axis", new int[] {0}, 1)), "T", F, "Tidx", I32);
    String list = f.op("TensorListFromTensor", "TensorArrayUnstack/TensorListFromTensor", "output_handle",
        List.of(source, f.ints("TensorArrayUnstack/Const", new int[] {-1, l.in()}, 2)), "element_dtype", F,
        "shape_type", I32);
    // backend.rnn runs the cell once on step 0 for the output's dtype and shape (with a mask, its
    // zeros are the output before the first step).
    String first = cell(f, l, slice(f, "strided_slice_1", tm, F, 0, 1), states, weights).get(0);
    String maskList = null;
    if (l.masked()) {
      // a [batch, steps] mask gets a last axis and goes time-major like the input
      String m = transpose(f, "transpose_1", f.op("ExpandDims", "ExpandDims", "output", List.of(a.get(4 + l.states()),
          f.ints("ExpandDims/dim", new int[] {-1})), "T", DataType.DT_BOOL, "Tdim", I32), DataType.DT_BOOL);
      if (l.goBackwards()) {
        m = f.op("ReverseV2", "ReverseV2_1", "output", List.of(m, f.ints("ReverseV2_1/axis", new int[] {0}, 1)),
            "T", DataType.DT_BOOL, "Tidx", I32);
      }
      maskList = f.op("TensorListFromTensor", "TensorArrayUnstack_1/TensorListFromTensor", "output_handle",
          List.of(m, f.ints("TensorArrayUnstack_1/Const", new int[] {-1, 1}, 2)), "element_dtype", DataType.DT_BOOL,
          "shape_type", I32);
    }
    String size = l.returnSequences() ? steps : f.ints("TensorArrayV2_1/num_elements", new int[] {1});
    String outList = f.op("TensorListReserve", "TensorArrayV2_1", "handle",
        List.of(f.ints("TensorArrayV2_1/element_shape", new int[] {-1, l.units()}, 2), size), "element_dtype", F,
        "shape_type", I32);
    // Keras' maximum_iterations: reduce_max(input_length), the static number of steps if known.
    String max = !l.bounded() ? f.ints("while/maximum_iterations", new int[] {-1}) : l.steps() < 0 ? steps
        : f.op("Max", "Max", "output", List.of(f.ints("Const", new int[] {l.steps()}), f.ints("Const_1", new int[0], 0)),
            "T", I32, "Tidx", I32, "keep_dims", false);
    List<String> in = new ArrayList<>(List.of(f.ints("while/loop_counter", new int[] {0}), max,
        f.ints("time", new int[] {0}), outList));
    List<long[]> shapes = new ArrayList<>(List.of(new long[0], new long[0], new long[0], new long[0]));
    if (l.masked()) {
      in.add(f.op("ZerosLike", "zeros_like", "y", List.of(first), "T", F));
      shapes.add(new long[] {-1, l.units()});
    }
    in.addAll(states);
    in.addAll(List.of(steps, list));
    states.forEach(s -> shapes.add(new long[] {-1, l.units()}));
    shapes.addAll(List.of(new long[0], new long[0]));
    if (l.masked()) {
      in.add(maskList);
      shapes.add(new long[0]);
    }
    in.addAll(weights);
    shapes.add(l.weightShapes().get(0));
    if (!l.lstm()) {
      shapes.add(new long[] {3L * l.units()});
    }
    shapes.add(l.weightShapes().get(1));
    shapes.add(l.lstm() ? l.weightShapes().get(2) : new long[] {3L * l.units()});
    String w = f.op(l.lstm() ? "While" : "StatelessWhile", "while", "output", in, "T", FunctionBuilder.types(loopTypes(l)),
        "cond", FunctionBuilder.func(condName(l)), "body", FunctionBuilder.func(bodyName(l)),
        "output_shapes", FunctionBuilder.shapes(shapes), "parallel_iterations", 32L,
        "_lower_using_switch_merge", true, "_num_original_outputs", (long) in.size(),
        "_read_only_resource_inputs", org.tensorflow.proto.AttrValue.newBuilder()
            .setList(org.tensorflow.proto.AttrValue.ListValue.getDefaultInstance()).build());
    // tf.TensorArray.stack passes its size when it is a constant, else -1.
    long elements = !l.returnSequences() ? 1 : l.lstm() || l.steps() < 0 ? -1 : l.steps();
    String stacked = f.op("TensorListStack", "TensorArrayV2Stack/TensorListStack", "tensor",
        List.of(out(w, 3), f.ints("TensorArrayV2Stack/Const", new int[] {-1, l.units()}, 2)), "element_dtype", F,
        "num_elements", elements);
    List<String> results = new ArrayList<>(List.of(slice(f, "strided_slice_2", stacked, F, -1, 0),
        transpose(f, l.masked() ? "transpose_2" : "transpose_1", stacked, F)));
    for (int s = 0; s < l.states(); s++) {
      results.add(out(w, l.firstState() + s));
    }
    results.add(f.floatScalar("runtime", 1f)); // RUNTIME_CPU
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < results.size(); k++) {
      ids.add(f.op("Identity", k == 0 ? "Identity" : "Identity_" + k, "output", List.of(results.get(k)), "T", F));
    }
    return f.build(ids, l.resultTypes());
  }

  private static String condName(Layer l) {
    return "while_cond_" + l.id();
  }

  private static String bodyName(Layer l) {
    return "while_body_" + l.id();
  }

  private static List<String> loopArgs(Layer l, FunctionBuilder f, String stepsName) {
    List<DataType> t = loopTypes(l);
    List<String> names = new ArrayList<>(List.of("while_loop_counter", "while_maximum_iterations", "placeholder"));
    for (int i = 3; i < l.stepsIndex(); i++) {
      names.add("placeholder_" + (i - 2));
    }
    names.addAll(List.of(stepsName, "while_tensorarrayunstack_tensorlistfromtensor_0"));
    if (l.masked()) {
      names.add("while_tensorarrayunstack_1_tensorlistfromtensor_0");
    }
    for (int i = names.size(); i < t.size(); i++) {
      names.add("while_matmul_readvariableop_" + i);
    }
    List<String> a = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      a.add(f.arg(names.get(i), t.get(i)));
    }
    return a;
  }

  /** while_v2's cond: Keras' {@code time < steps}, and-ed with {@code counter < maximum_iterations} if bounded. */
  static FunctionDef cond(Layer l) {
    FunctionBuilder f = new FunctionBuilder(condName(l));
    List<String> a = loopArgs(l, f, "while_less_strided_slice");
    String and = f.math("Less", "Less", I32, a.get(2), a.get(l.stepsIndex()));
    if (l.bounded()) {
      String less1 = f.math("Less", "Less_1", I32, a.get(0), a.get(1));
      and = f.math("LogicalAnd", "LogicalAnd", DataType.DT_BOOL, less1, and);
    }
    return f.build(List.of(f.op("Identity", "Identity", "output", List.of(and), "T", DataType.DT_BOOL)),
        List.of(DataType.DT_BOOL));
  }

  /** The loop body: read step {@code time}, run the cell, write the output; captured values returned as they came. */
  static FunctionDef body(Layer l) {
    FunctionBuilder f = new FunctionBuilder(bodyName(l));
    List<String> a = loopArgs(l, f, "while_strided_slice_0");
    int s = l.states();
    String item = f.op("TensorListGetItem", "TensorArrayV2Read/TensorListGetItem", "item", List.of(a.get(l.stepsIndex()
        + 1), a.get(2), f.ints("TensorArrayV2Read/Const", new int[] {-1, l.in()}, 2)), "element_dtype", F);
    List<String> states = a.subList(l.firstState(), l.stepsIndex());
    List<String> next = cell(f, l, item, states, a.subList(l.firstWeight(), a.size()));
    if (l.masked()) {
      next = masked(f, l, a, states, next);
    }
    String index = l.returnSequences() ? a.get(2) : f.ints("TensorArrayV2Write/TensorListSetItem/index", new int[] {0});
    String written = f.op("TensorListSetItem", "TensorArrayV2Write/TensorListSetItem", "output_handle",
        List.of(a.get(3), index, next.get(0)), "element_dtype", F);
    int k = l.lstm() ? 2 : 4; // after the cell's own add ops
    String time = f.math("AddV2", "add_" + k, I32, a.get(2), f.ints("add_" + k + "/y", new int[] {1}));
    String counter = f.math("AddV2", "add_" + (k + 1), I32, a.get(0), f.ints("add_" + (k + 1) + "/y", new int[] {1}));
    List<String> r = new ArrayList<>(List.of(identity(f, "Identity", counter, I32),
        identity(f, "Identity_1", a.get(1), I32), identity(f, "Identity_2", time, I32),
        identity(f, "Identity_3", written, V)));
    for (int i = 0; i < next.size(); i++) {
      r.add(identity(f, "Identity_" + (4 + i), next.get(i), F));
    }
    r.addAll(a.subList(l.stepsIndex(), a.size())); // while_v2 returns its captures' placeholders directly
    return f.build(r, loopTypes(l));
  }

  /**
   * backend.rnn's masking: where step {@code time}'s mask is false the output stays the previous one
   * and the states stay as they were ({@code tf.where} on the mask tiled to each value). Returns the
   * output, then the states.
   */
  private static List<String> masked(FunctionBuilder f, Layer l, List<String> a, List<String> states, List<String> next) {
    String mask = f.op("TensorListGetItem", "TensorArrayV2Read_1/TensorListGetItem", "item", List.of(a.get(
        l.stepsIndex() + 2), a.get(2), f.ints("TensorArrayV2Read_1/Const", new int[] {-1, 1}, 2)),
        "element_dtype", DataType.DT_BOOL);
    List<String> kept = new ArrayList<>();
    List<String> previous = new ArrayList<>(List.of(a.get(4)));
    previous.addAll(states);
    List<String> fresh = new ArrayList<>(List.of(next.get(0)));
    fresh.addAll(next);
    for (int k = 0; k < previous.size(); k++) {
      String sfx = k == 0 ? "" : "_" + k;
      String tiled = f.op("Tile", "Tile" + sfx, "output", List.of(mask, f.ints("Tile" + sfx + "/multiples",
          new int[] {1, 1}, 2)), "T", DataType.DT_BOOL, "Tmultiples", I32);
      kept.add(f.op("SelectV2", "SelectV2" + sfx, "output", List.of(tiled, fresh.get(k), previous.get(k)), "T", F));
    }
    return kept;
  }

  /** Keras' LSTM or GRU (reset_after) cell; returns the new states, the output first. */
  private static List<String> cell(FunctionBuilder f, Layer l, String x, List<String> states, List<String> w) {
    if (l.lstm()) {
      String z = f.math("AddV2", "add", F, matMul(f, "MatMul", x, w.get(0)), matMul(f, "MatMul_1", states.get(0), w.get(1)));
      String g = split(f, "split", biasAdd(f, "BiasAdd", z, w.get(2)), 4);
      String i = f.math("Sigmoid", "Sigmoid", F, out(g, 0));
      String c = f.math("AddV2", "add_1", F, f.math("Mul", "mul", F, f.math("Sigmoid", "Sigmoid_1", F, out(g, 1)),
          states.get(1)), f.math("Mul", "mul_1", F, i, f.math("Tanh", "Tanh", F, out(g, 2))));
      String h = f.math("Mul", "mul_2", F, f.math("Sigmoid", "Sigmoid_2", F, out(g, 3)), f.math("Tanh", "Tanh_1", F, c));
      return List.of(h, c);
    }
    String xs = split(f, "split", biasAdd(f, "BiasAdd", matMul(f, "MatMul", x, w.get(0)), w.get(1)), 3);
    String rs = split(f, "split_1", biasAdd(f, "BiasAdd_1", matMul(f, "MatMul_1", states.get(0), w.get(2)), w.get(3)), 3);
    String z = f.math("Sigmoid", "Sigmoid", F, f.math("AddV2", "add", F, out(xs, 0), out(rs, 0)));
    String r = f.math("Sigmoid", "Sigmoid_1", F, f.math("AddV2", "add_1", F, out(xs, 1), out(rs, 1)));
    String hh = f.math("Tanh", "Tanh", F, f.math("AddV2", "add_2", F, out(xs, 2), f.math("Mul", "mul", F, r, out(rs, 2))));
    String fresh = f.math("Mul", "mul_2", F, f.math("Sub", "sub", F, f.floatScalar("sub/x", 1f), z), hh);
    return List.of(f.math("AddV2", "add_3", F, f.math("Mul", "mul_1", F, z, states.get(0)), fresh));
  }

  private static String identity(FunctionBuilder f, String name, String x, DataType t) {
    return f.op("Identity", name, "output", List.of(x), "T", t);
  }

  static String transpose(FunctionBuilder f, String name, String x, DataType t) {
    return f.op("Transpose", name, "y", List.of(x, f.ints(name + "/perm", new int[] {1, 0, 2}, 3)), "T", t, "Tperm", I32);
  }

  /** {@code x[begin:end]} on axis 0 with the axis shrunk away (Keras' {@code x[0]}, {@code x[-1]}). */
  static String slice(FunctionBuilder f, String name, String x, DataType t, int begin, int end) {
    return f.op("StridedSlice", name, "output", List.of(x, f.ints(name + "/stack", new int[] {begin}, 1),
        f.ints(name + "/stack_1", new int[] {end}, 1), f.ints(name + "/stack_2", new int[] {1}, 1)), "T", t,
        "Index", I32, "shrink_axis_mask", 1L, "begin_mask", 0L, "end_mask", 0L, "ellipsis_mask", 0L,
        "new_axis_mask", 0L);
  }

  private static String matMul(FunctionBuilder f, String name, String a, String b) {
    return f.op("MatMul", name, "product", List.of(a, b), "T", F, "transpose_a", false, "transpose_b", false);
  }

  private static String biasAdd(FunctionBuilder f, String name, String x, String bias) {
    return f.op("BiasAdd", name, "output", List.of(x, bias), "T", F, "data_format", "NHWC");
  }

  private static String split(FunctionBuilder f, String name, String x, int n) {
    return f.op("Split", name, "output", List.of(f.ints(name + "/split_dim", new int[] {1}), x), "T", F,
        "num_split", (long) n);
  }
}
