package dev.modelbridge.e2e.tensorflow.tfjava;

import dev.modelbridge.e2e.tensorflow.tfjava.KerasRnnFunctions.Layer;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;

/**
 * The functions of a Keras RNN layer that a SavedModel's library holds but its serving path never calls:
 * the cuDNN implementation of the layer's interface ({@code CudnnRNNV3}, which TensorFlow selects only on
 * a GPU) and a gradient function.
 */
final class KerasRnnAlternatives {
  private static final DataType F = DataType.DT_FLOAT;
  private static final DataType I32 = DataType.DT_INT32;

  private KerasRnnAlternatives() {}

  /** The cuDNN alternative with the same interface: never called on the serving path. */
  static FunctionDef cudnn(Layer l) {
    FunctionBuilder f = KerasRnnFunctions.interfaceFunction(l, "__inference_cudnn_" + l.kind() + "_" + l.id(), "GPU");
    List<String> a = KerasRnnFunctions.interfaceArgs(l, f);
    int s = l.states();
    String tm = KerasRnnFunctions.transpose(f, "transpose", a.get(0), F);
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
    String shape = f.op("Shape", "Shape", "output", List.of(a.get(0)), "T", F, "out_type", I32);
    String batch = KerasRnnFunctions.slice(f, "strided_slice", shape, I32, 0, 1);
    String lengths = f.op("Fill", "Fill", "output", List.of(f.op("Pack", "Pack", "output", List.of(batch), "T", I32,
        "N", 1L, "axis", 0L), f.ints("Fill/value", new int[] {Math.abs(l.steps())})), "T", I32, "index_type", I32);
    String rnn = f.op("CudnnRNNV3", "CudnnRNNV3", "output", List.of(tm, h, c, params, lengths), "T", F,
        "rnn_mode", l.kind(), "input_mode", "linear_input", "direction", "unidirectional", "dropout", 0f, "seed", 0L,
        "seed2", 0L, "num_proj", 0L, "is_training", true, "time_major", true);
    List<String> results = new ArrayList<>(List.of(KerasRnnFunctions.slice(f, "strided_slice_1", rnn, F, -1, 0),
        KerasRnnFunctions.transpose(f, "transpose_1", rnn, F)));
    results.add(f.op("Squeeze", "Squeeze", "output", List.of(rnn.replace(":output:0", ":output_h:0")), "T", F,
        "squeeze_dims", AttrValue.newBuilder().setList(
            AttrValue.ListValue.newBuilder().addI(0)).build()));
    if (l.lstm()) {
      results.add(f.op("Squeeze", "Squeeze_1", "output", List.of(rnn.replace(":output:0", ":output_c:0")), "T", F,
          "squeeze_dims", AttrValue.newBuilder().setList(
              AttrValue.ListValue.newBuilder().addI(0)).build()));
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
}
