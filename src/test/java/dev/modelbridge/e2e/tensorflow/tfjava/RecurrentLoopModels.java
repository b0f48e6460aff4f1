package dev.modelbridge.e2e.tensorflow.tfjava;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.NameAttrList;

/**
 * Keras LSTM and GRU layers that are not unrolled, as Keras 2 writes them ({@code standard_lstm},
 * {@code standard_gru}): the time-major input unstacked into a TensorList, a While loop over the time
 * steps whose body reads item {@code time}, runs the cell with the variables it reads through captured
 * resource handles, and writes the new state into a reserved TensorList, stacked after the loop.
 */
final class RecurrentLoopModels {
  private static final int STEPS = 5;
  private static final int IN = 6;
  private static final int UNITS = 4;
  private static final DataType F = DataType.DT_FLOAT;

  private RecurrentLoopModels() {}

  static List<OracleModels.Spec> all() {
    return List.of(
        new OracleModels.Spec("lstm_while", RecurrentLoopModels::lstm, Map.of("sequence", new long[] {3, STEPS, IN})),
        new OracleModels.Spec("gru_stateless_while", RecurrentLoopModels::gru,
            Map.of("sequence", new long[] {3, STEPS, IN})));
  }

  /** The loop variables both layers start with, and the graph around the loop. */
  private record Loop(Output<?> counter, Output<?> steps, Output<?> time, Output<?> outputList, Output<?> zeros,
      Output<?> inputList) {}

  /**
   * The part before the loop: zero state from the batch size, the input transposed to time-major and
   * unstacked with TensorListFromTensor, the output TensorList reserved for {@code steps} items whose
   * batch dimension is unknown ({@code [-1, units]}).
   */
  private static Loop prologue(SavedModelBuilder b, String layer) {
    Output<?> x = b.input("sequence", -1, STEPS, IN);
    Output<?> batch = b.op("StridedSlice", layer + "/strided_slice", p -> p.setAttr("shrink_axis_mask", 1L),
        b.op("Shape", layer + "/Shape", x), b.ints(layer + "/ss/begin", 0), b.ints(layer + "/ss/end", 1),
        b.ints(layer + "/ss/strides", 1));
    Output<?> dims = b.listOp("Pack", layer + "/zeros/packed", batch,
        b.ints(layer + "/zeros/units", new int[] {UNITS}, new long[0])).setAttr("axis", 0L).build().output(0);
    Output<?> zeros = b.op("Fill", layer + "/zeros", dims, b.constant(layer + "/zeros/Const", new float[] {0f}));
    Output<?> timeMajor = b.op("Transpose", layer + "/transpose", x, b.ints(layer + "/transpose/perm", 1, 0, 2));
    Output<?> steps = b.op("StridedSlice", layer + "/strided_slice_1", p -> p.setAttr("shrink_axis_mask", 1L),
        b.op("Shape", layer + "/Shape_1", timeMajor), b.ints(layer + "/ss1/begin", 0), b.ints(layer + "/ss1/end", 1),
        b.ints(layer + "/ss1/strides", 1));
    Output<?> inputList = b.op("TensorListFromTensor", layer + "/TensorArrayUnstack/TensorListFromTensor",
        p -> p.setAttr("element_dtype", DataType.DT_FLOAT).setAttr("shape_type", DataType.DT_INT32),
        timeMajor, b.ints(layer + "/TensorArrayUnstack/Const", -1, IN));
    Output<?> outputList = b.op("TensorListReserve", layer + "/TensorArrayV2",
        p -> p.setAttr("element_dtype", DataType.DT_FLOAT).setAttr("shape_type", DataType.DT_INT32),
        b.ints(layer + "/TensorArrayV2/element_shape", -1, UNITS), steps);
    Output<?> zero = b.ints(layer + "/time", new int[] {0}, new long[0]);
    return new Loop(zero, steps, zero, outputList, zeros, inputList);
  }

  /** {@code while time < steps and counter < steps}: Keras' cond, over every loop variable. */
  private static FunctionDef cond(String name, List<DataType> types) {
    FunctionBuilder f = new FunctionBuilder(name);
    List<String> a = args(f, types);
    String less = f.math("Less", "Less", DataType.DT_INT32, a.get(2), a.get(1));
    String less1 = f.math("Less", "Less_1", DataType.DT_INT32, a.get(0), a.get(1));
    return f.build(List.of(f.math("LogicalAnd", "LogicalAnd", DataType.DT_BOOL, less, less1)), List.of(DataType.DT_BOOL));
  }

  private static List<String> args(FunctionBuilder f, List<DataType> types) {
    List<String> a = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      a.add(f.arg("arg_" + i, types.get(i)));
    }
    return a;
  }

  /** A cell: from the input item and the loop arguments, the new states (the first is written out). */
  private interface Cell {
    List<String> step(FunctionBuilder f, String item, List<String> args);
  }

  /**
   * The body over loop variables (counter, steps, time, output list, state..., input list, captures...):
   * reads item {@code time}, runs {@code cell}, writes the first new state at {@code time}.
   */
  private static FunctionDef body(String name, List<DataType> types, int states, Cell cell) {
    FunctionBuilder f = new FunctionBuilder(name);
    List<String> a = args(f, types);
    String one = f.ints("add/y", new int[] {1});
    String item = f.op("TensorListGetItem", "TensorArrayV2Read/TensorListGetItem", "item",
        List.of(a.get(4 + states), a.get(2), f.ints("TensorArrayV2Read/Const", new int[] {-1, IN}, 2)),
        "element_dtype", DataType.DT_FLOAT);
    List<String> next = cell.step(f, item, a);
    String written = f.op("TensorListSetItem", "TensorArrayV2Write/TensorListSetItem", "output_handle",
        List.of(a.get(3), a.get(2), next.get(0)), "element_dtype", DataType.DT_FLOAT);
    List<String> out = new ArrayList<>();
    out.add(f.math("AddV2", "add_1", DataType.DT_INT32, a.get(0), one));
    out.add(identity(f, "Identity_1", a.get(1), types.get(1)));
    out.add(f.math("AddV2", "add", DataType.DT_INT32, a.get(2), one));
    out.add(written);
    out.addAll(next);
    for (int i = 4 + states; i < a.size(); i++) {
      out.add(identity(f, "Identity_" + i, a.get(i), types.get(i)));
    }
    return f.build(out, types);
  }

  private static String identity(FunctionBuilder f, String name, String x, DataType t) {
    return f.op("Identity", name, "output", List.of(x), "T", t);
  }

  /** The loop and what Keras does with its results: stack, last output, back to batch-major. */
  private static GraphOperation loop(SavedModelBuilder b, String layer, String op, List<Output<?>> inputs,
      List<DataType> types, int states, Cell cell) {
    b.functions(cond(layer + "_while_cond", types), body(layer + "_while_body", types, states, cell));
    GraphOperation w = (GraphOperation) b.listOp(op, layer + "/while", inputs.toArray(new Output<?>[0]))
        .setAttr("parallel_iterations", 32L).setAttr("cond", func(layer + "_while_cond"))
        .setAttr("body", func(layer + "_while_body")).build();
    Output<?> stacked = b.op("TensorListStack", layer + "/TensorArrayV2Stack/TensorListStack",
        p -> p.setAttr("element_dtype", DataType.DT_FLOAT).setAttr("num_elements", (long) STEPS), w.output(3),
        b.ints(layer + "/TensorArrayV2Stack/Const", -1, UNITS));
    b.output("last", b.op("StridedSlice", layer + "/strided_slice_2", p -> p.setAttr("shrink_axis_mask", 1L),
        stacked, b.ints(layer + "/ss2/begin", -1), b.ints(layer + "/ss2/end", 0), b.ints(layer + "/ss2/strides", 1)));
    b.output("sequence_out", b.op("Transpose", layer + "/transpose_1", stacked,
        b.ints(layer + "/transpose_1/perm", 1, 0, 2)));
    return w;
  }

  private static AttrValue func(String name) {
    return AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(name)).build();
  }

  /** Keras LSTM: gates i, f, c, o from x_t·kernel + h·recurrent_kernel + bias; a While (stateful). */
  static void lstm(SavedModelBuilder b) {
    Loop l = prologue(b, "lstm");
    List<Output<?>> inputs = List.of(l.counter(), l.steps(), l.time(), l.outputList(), l.zeros(), l.zeros(),
        l.inputList(), b.weightHandle("lstm/kernel", 1 / Math.sqrt(IN), IN, 4 * UNITS),
        b.weightHandle("lstm/recurrent_kernel", 1 / Math.sqrt(UNITS), UNITS, 4 * UNITS),
        b.weightHandle("lstm/bias", 0.1, 4 * UNITS));
    List<DataType> types = List.of(DataType.DT_INT32, DataType.DT_INT32, DataType.DT_INT32, DataType.DT_VARIANT,
        DataType.DT_FLOAT, DataType.DT_FLOAT, DataType.DT_VARIANT, DataType.DT_RESOURCE, DataType.DT_RESOURCE,
        DataType.DT_RESOURCE);
    GraphOperation w = loop(b, "lstm", "While", inputs, types, 2, (f, x, a) -> {
      // a: counter, steps, time, outputs, h, c, inputs, kernel, recurrent_kernel, bias
      String z = f.math("AddV2", "add_2", F, matMul(f, "MatMul", x, read(f, "kernel", a.get(7))),
          matMul(f, "MatMul_1", a.get(4), read(f, "recurrent_kernel", a.get(8))));
      z = biasAdd(f, "BiasAdd", z, read(f, "bias", a.get(9)));
      String g = split(f, "split", z, 4);
      String i = f.math("Sigmoid", "Sigmoid", F, FunctionBuilder.out(g, 0));
      String fg = f.math("Sigmoid", "Sigmoid_1", F, FunctionBuilder.out(g, 1));
      String c = f.math("AddV2", "add_3", F, f.math("Mul", "mul", F, fg, a.get(5)),
          f.math("Mul", "mul_1", F, i, f.math("Tanh", "Tanh", F, FunctionBuilder.out(g, 2))));
      String o = f.math("Sigmoid", "Sigmoid_2", F, FunctionBuilder.out(g, 3));
      String h = f.math("Mul", "mul_2", F, o, f.math("Tanh", "Tanh_1", F, c));
      return List.of(h, c);
    });
    b.output("h", w.output(4));
    b.output("c", w.output(5));
  }

  /**
   * Keras GRU with {@code reset_after}: the bias [2, 3 units] unstacked before the loop into the input
   * and recurrent biases, captured as float loop variables; a StatelessWhile.
   */
  static void gru(SavedModelBuilder b) {
    Loop l = prologue(b, "gru");
    GraphOperation biases = b.opAll("Unpack", "gru/unstack", p -> p.setAttr("num", 2L).setAttr("axis", 0L),
        b.weight("gru/bias", 0.1, 2, 3 * UNITS));
    List<Output<?>> inputs = List.of(l.counter(), l.steps(), l.time(), l.outputList(), l.zeros(), l.inputList(),
        biases.output(0), biases.output(1), b.weightHandle("gru/kernel", 1 / Math.sqrt(IN), IN, 3 * UNITS),
        b.weightHandle("gru/recurrent_kernel", 1 / Math.sqrt(UNITS), UNITS, 3 * UNITS));
    List<DataType> types = List.of(DataType.DT_INT32, DataType.DT_INT32, DataType.DT_INT32, DataType.DT_VARIANT,
        DataType.DT_FLOAT, DataType.DT_VARIANT, DataType.DT_FLOAT, DataType.DT_FLOAT, DataType.DT_RESOURCE,
        DataType.DT_RESOURCE);
    GraphOperation w = loop(b, "gru", "StatelessWhile", inputs, types, 1, (f, x, a) -> {
      // a: counter, steps, time, outputs, h, inputs, input_bias, recurrent_bias, kernel, recurrent_kernel
      String mx = biasAdd(f, "BiasAdd", matMul(f, "MatMul", x, read(f, "kernel", a.get(8))), a.get(6));
      String xs = split(f, "split", mx, 3);
      String mi = biasAdd(f, "BiasAdd_1", matMul(f, "MatMul_1", a.get(4), read(f, "recurrent_kernel", a.get(9))),
          a.get(7));
      String rs = split(f, "split_1", mi, 3);
      String z = f.math("Sigmoid", "Sigmoid", F, f.math("AddV2", "add_2", F, FunctionBuilder.out(xs, 0),
          FunctionBuilder.out(rs, 0)));
      String r = f.math("Sigmoid", "Sigmoid_1", F, f.math("AddV2", "add_3", F, FunctionBuilder.out(xs, 1),
          FunctionBuilder.out(rs, 1)));
      String hh = f.math("Tanh", "Tanh", F, f.math("AddV2", "add_4", F, FunctionBuilder.out(xs, 2),
          f.math("Mul", "mul", F, r, FunctionBuilder.out(rs, 2))));
      String keep = f.math("Mul", "mul_1", F, z, a.get(4));
      String fresh = f.math("Mul", "mul_2", F, f.math("Sub", "sub", F, f.floatScalar("sub/x", 1f), z), hh);
      return List.of(f.math("AddV2", "add_5", F, keep, fresh));
    });
    b.output("h", w.output(4));
  }

  private static String read(FunctionBuilder f, String name, String handle) {
    return f.op("ReadVariableOp", name + "/ReadVariableOp", "value", List.of(handle), "dtype", F);
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
