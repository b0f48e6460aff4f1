package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ModelException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.ir.ValueInfo;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.proto.DataType;

/**
 * {@code --inputs-as-nhwc} and {@code --outputs-as-nhwc}: a signature tensor given in NHWC while
 * the converted graph keeps the ONNX model's NCHW, joined by one Transpose that the layout pass
 * then cancels against the NHWC ops behind it.
 */
final class NhwcSignature {
  static final long[] NCHW_TO_NHWC = {0, 2, 3, 1};
  static final long[] NHWC_TO_NCHW = {0, 3, 1, 2};

  private NhwcSignature() {}

  /** Refuses names in {@code names} that {@code values} do not have, naming the option. */
  static void checkNames(String option, Set<String> names, List<ValueInfo> values) throws ModelException {
    Set<String> unknown = new TreeSet<>(names);
    values.forEach(v -> unknown.remove(v.name()));
    if (!unknown.isEmpty()) {
      throw new UnsupportedModelException(option + ": the model has no such " + (option.contains("input") ? "input" : "output")
          + ": " + String.join(", ", unknown));
    }
  }

  /** NCHW dims as NHWC, for a value that must be 4-D. */
  static long[] nhwc(String role, String name, long[] nchw) throws ModelException {
    if (nchw == null || nchw.length != 4) {
      throw new UnsupportedModelException(role + " '" + name + "' is not 4-D, so it cannot be given as NHWC");
    }
    long[] out = new long[4];
    for (int i = 0; i < 4; i++) {
      out[i] = nchw[(int) NCHW_TO_NHWC[i]];
    }
    return out;
  }

  static TfRef transpose(TfGraph graph, TfRef x, long[] perm, String hint) {
    return graph.op("Transpose", hint).input(x).input(graph.int32s(hint + "/perm", perm))
        .attr("T", x.dtype()).attr("Tperm", DataType.DT_INT32).output(x.dtype());
  }
}
