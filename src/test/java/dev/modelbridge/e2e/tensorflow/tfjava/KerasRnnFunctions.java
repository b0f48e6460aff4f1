package dev.modelbridge.e2e.tensorflow.tfjava;

import static dev.modelbridge.e2e.tensorflow.tfjava.FunctionBuilder.out;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;

/**
 * The library functions tf.keras 2 writes for one LSTM or GRU layer that is not unrolled:
 * {@code standard_lstm}/{@code standard_gru} ({@code _api_implements} an interface shared with the
 * cuDNN variant) holding Keras' {@code backend.rnn} While loop, the loop's cond and body, the cuDNN
 * alternative ({@code CudnnRNNV3}) that only a GPU would select, and a gradient function; the last
 * two are never called from the serving path, as in a real SavedModel.
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
   * and the id that makes the layer's function names unique.
   */
  record Layer(boolean lstm, int steps, int in, int units, boolean returnSequences, boolean goBackwards,
      boolean bounded, String id) {
    int states() {
      return lstm ? 2 : 1;
    }

    String kind() {
      return lstm ? "lstm" : "gru";
    }

    String standard() {
      return "__inference_standard_" + kind() + "_" + id;
    }

    /** The standard function's arguments: inputs, initial states, kernel, recurrent kernel, bias. */
    List<DataType> argTypes() {
      return java.util.Collections.nCopies(4 + states(), F);
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
    return List.of(standard(l), cond(l), body(l), cudnn(l), backward(l));
  }

  /** The loop variables' types: counter, maximum iterations, time, output list, states, steps, input list, weights. */
  private static List<DataType> loopTypes(Layer l) {
    List<DataType> t = new ArrayList<>(List.of(I32, I32, I32, V));
    t.addAll(java.util.Collections.nCopies(l.states(), F));
    t.addAll(List.of(I32, V));
    t.addAll(java.util.Collections.nCopies(l.lstm() ? 3 : 4, F));
    return t;
  }

  private static FunctionBuilder interfaceFunction(Layer l, String name, String device) {
    return new FunctionBuilder(name).attr("_api_implements", l.kind() + "_" + l.id() + "-5d7a-4b1c-9f0e-2a6c4e8b1d3f")
        .attr("_api_preferred_device", device).attr("time_major", false).attr("go_backwards", l.goBackwards())
        .attr("_construction_context", "kEagerRuntime");
  }

  private static List<String> interfaceArgs(Layer l, FunctionBuilder f) {
    List<String> a = new ArrayList<>(List.of(f.userArg("inputs", F), f.userArg("init_h", F)));
    if (l.lstm()) {
      a.add(f.userArg("init_c", F));
    }
    a.addAll(List.of(f.userArg("kernel", F), f.userArg("recurrent_kernel", F), f.userArg("bias", F)));
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
    String tm = transpose(f, "transpose", a.get(0));
    String steps = slice(f, "strided_slice", f.op("Shape", "Shape", "output", List.of(tm), "T", F, "out_type", I32), I32, 0, 1);
    // The input TensorArray before unstack replaced it: unused, elements of unknown rank.
    f.op("TensorListReserve", "TensorArrayV2", "handle", List.of(f.ints("TensorArrayV2/element_shape", new int[] {-1}),
        steps), "element_dtype", F, "shape_type", I32);
    String source = !l.goBackwards() ? tm : f.op("ReverseV2", "ReverseV2", "output",
        List.of(tm, f.ints("ReverseV2/axis", new int[] {0}, 1)), "T", F, "Tidx", I32);
    String list = f.op("TensorListFromTensor", "TensorArrayUnstack/TensorListFromTensor", "output_handle",
        List.of(source, f.ints("TensorArrayUnstack/Const", new int[] {-1, l.in()}, 2)), "element_dtype", F,
        "shape_type", I32);
    // backend.rnn runs the cell once on step 0 for the output's dtype and shape; the result is unused.
    cell(f, l, slice(f, "strided_slice_1", tm, F, 0, 1), states, weights);
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
    in.addAll(states);
    in.addAll(List.of(steps, list));
    in.addAll(weights);
    List<long[]> shapes = new ArrayList<>(List.of(new long[0], new long[0], new long[0], new long[0]));
    states.forEach(s -> shapes.add(new long[] {-1, l.units()}));
    shapes.addAll(List.of(new long[0], new long[0], l.weightShapes().get(0)));
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
        transpose(f, "transpose_1", stacked)));
    for (int s = 0; s < l.states(); s++) {
      results.add(out(w, 4 + s));
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
    List<String> names = new ArrayList<>(List.of("while_loop_counter", "while_maximum_iterations", "placeholder",
        "placeholder_1", "placeholder_2"));
    if (l.lstm()) {
      names.add("placeholder_3");
    }
    names.addAll(List.of(stepsName, "while_tensorarrayunstack_tensorlistfromtensor_0"));
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
    String and = f.math("Less", "Less", I32, a.get(2), a.get(4 + l.states()));
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
    String item = f.op("TensorListGetItem", "TensorArrayV2Read/TensorListGetItem", "item", List.of(a.get(5 + s),
        a.get(2), f.ints("TensorArrayV2Read/Const", new int[] {-1, l.in()}, 2)), "element_dtype", F);
    List<String> next = cell(f, l, item, a.subList(4, 4 + s), a.subList(6 + s, a.size()));
    String index = l.returnSequences() ? a.get(2) : f.ints("TensorArrayV2Write/TensorListSetItem/index", new int[] {0});
    String written = f.op("TensorListSetItem", "TensorArrayV2Write/TensorListSetItem", "output_handle",
        List.of(a.get(3), index, next.get(0)), "element_dtype", F);
    int k = l.lstm() ? 2 : 4; // after the cell's own add ops
    String time = f.math("AddV2", "add_" + k, I32, a.get(2), f.ints("add_" + k + "/y", new int[] {1}));
    String counter = f.math("AddV2", "add_" + (k + 1), I32, a.get(0), f.ints("add_" + (k + 1) + "/y", new int[] {1}));
    List<String> r = new ArrayList<>(List.of(identity(f, "Identity", counter, I32),
        identity(f, "Identity_1", a.get(1), I32), identity(f, "Identity_2", time, I32),
        identity(f, "Identity_3", written, V)));
    for (int i = 0; i < s; i++) {
      r.add(identity(f, "Identity_" + (4 + i), next.get(i), F));
    }
    r.addAll(a.subList(4 + s, a.size())); // while_v2 returns its captures' placeholders directly
    return f.build(r, loopTypes(l));
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

  /** The cuDNN alternative with the same interface: never called on the serving path. */
  static FunctionDef cudnn(Layer l) {
    FunctionBuilder f = interfaceFunction(l, "__inference_cudnn_" + l.kind() + "_" + l.id(), "GPU");
    List<String> a = interfaceArgs(l, f);
    int s = l.states();
    String tm = transpose(f, "transpose", a.get(0));
    String zero = f.ints("ExpandDims/dim", new int[] {0});
    String h = f.op("ExpandDims", "ExpandDims", "output", List.of(a.get(1), zero), "T", F, "Tdim", I32);
    String c = l.lstm() ? f.op("ExpandDims", "ExpandDims_1", "output", List.of(a.get(2), zero), "T", F, "Tdim", I32)
        : f.floatScalar("Const", 0f);
    List<String> flat = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      flat.add(f.op("Reshape", "Reshape_" + i, "output", List.of(a.get(1 + s + i), f.ints("Reshape_" + i + "/shape",
          new int[] {-1}, 1)), "T", F, "Tshape", I32));
    }
    flat.add(f.op("ZerosLike", "zeros_like", "y", List.of(flat.get(2)), "T", F));
    String params = f.op("ConcatV2", "concat", "output", List.of(flat.get(0), flat.get(1), flat.get(3), flat.get(2),
        f.ints("concat/axis", new int[] {0})), "T", F, "N", 4L, "Tidx", I32);
    String batch = slice(f, "strided_slice", f.op("Shape", "Shape", "output", List.of(a.get(0)), "T", F, "out_type", I32),
        I32, 0, 1);
    String lengths = f.op("Fill", "Fill", "output", List.of(f.op("Pack", "Pack", "output", List.of(batch), "T", I32,
        "N", 1L, "axis", 0L), f.ints("Fill/value", new int[] {Math.abs(l.steps())})), "T", I32, "index_type", I32);
    String rnn = f.op("CudnnRNNV3", "CudnnRNNV3", "output", List.of(tm, h, c, params, lengths), "T", F,
        "rnn_mode", l.kind(), "input_mode", "linear_input", "direction", "unidirectional", "dropout", 0f, "seed", 0L,
        "seed2", 0L, "num_proj", 0L, "is_training", true, "time_major", true);
    List<String> results = new ArrayList<>(List.of(slice(f, "strided_slice_1", rnn, F, -1, 0),
        transpose(f, "transpose_1", rnn)));
    results.add(f.op("Squeeze", "Squeeze", "output", List.of(rnn.replace(":output:0", ":output_h:0")), "T", F,
        "squeeze_dims", org.tensorflow.proto.AttrValue.newBuilder().setList(
            org.tensorflow.proto.AttrValue.ListValue.newBuilder().addI(0)).build()));
    if (l.lstm()) {
      results.add(f.op("Squeeze", "Squeeze_1", "output", List.of(rnn.replace(":output:0", ":output_c:0")), "T", F,
          "squeeze_dims", org.tensorflow.proto.AttrValue.newBuilder().setList(
              org.tensorflow.proto.AttrValue.ListValue.newBuilder().addI(0)).build()));
    }
    results.add(f.floatScalar("runtime", 2f)); // RUNTIME_GPU
    return f.build(results, l.resultTypes());
  }

  /** A gradient function of the standard one, with gradient ops; nothing calls it when serving. */
  static FunctionDef backward(Layer l) {
    FunctionBuilder f = new FunctionBuilder("__inference___backward_standard_" + l.kind() + "_" + l.id() + "_1234");
    f.attr("forward_function_name", "__forward_standard_" + l.kind() + "_" + l.id());
    String dy = f.arg("gradients_grad_ys_0", F);
    String dseq = f.arg("gradients_grad_ys_1", F);
    String y = f.arg("gradients_sigmoid_grad_sigmoid", F);
    String perm = f.op("InvertPermutation", "gradients/transpose_1_grad/InvertPermutation", "y",
        List.of(f.ints("transpose_1/perm", new int[] {1, 0, 2}, 3)), "T", I32);
    String seq = f.op("Transpose", "gradients/transpose_1_grad/transpose", "y", List.of(dseq, perm), "T", F, "Tperm", I32);
    String shape = f.op("Shape", "gradients/strided_slice_2_grad/Shape", "output", List.of(seq), "T", F, "out_type", I32);
    String ss = f.op("StridedSliceGrad", "gradients/strided_slice_2_grad/StridedSliceGrad", "output", List.of(shape,
        f.ints("b", new int[] {-1}, 1), f.ints("e", new int[] {0}, 1), f.ints("s", new int[] {1}, 1), dy), "T", F,
        "Index", I32, "shrink_axis_mask", 1L, "begin_mask", 0L, "end_mask", 0L, "ellipsis_mask", 0L,
        "new_axis_mask", 0L);
    String sum = f.op("AddN", "gradients/AddN", "sum", List.of(seq, ss), "T", F, "N", 2L);
    String sg = f.op("SigmoidGrad", "gradients/Sigmoid_grad/SigmoidGrad", "z", List.of(y, sum), "T", F);
    return f.build(List.of(sg, f.op("TanhGrad", "gradients/Tanh_grad/TanhGrad", "z", List.of(y, sum), "T", F)),
        List.of(F, F));
  }

  private static String identity(FunctionBuilder f, String name, String x, DataType t) {
    return f.op("Identity", name, "output", List.of(x), "T", t);
  }

  private static String transpose(FunctionBuilder f, String name, String x) {
    return f.op("Transpose", name, "y", List.of(x, f.ints(name + "/perm", new int[] {1, 0, 2}, 3)), "T", F, "Tperm", I32);
  }

  /** {@code x[begin:end]} on axis 0 with the axis shrunk away (Keras' {@code x[0]}, {@code x[-1]}). */
  private static String slice(FunctionBuilder f, String name, String x, DataType t, int begin, int end) {
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
