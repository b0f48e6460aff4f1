package dev.modelbridge.tensorflow.convert;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A TensorFlow graph uses ops that have no handler, or nodes that cannot be converted as used. */
public class UnsupportedOpsException extends dev.modelbridge.UnsupportedOpsException {
  private static final long serialVersionUID = 1L;

  /** TF1's dataflow control flow, which has no ONNX counterpart short of rebuilding the loops. */
  private static final Set<String> TF1_CONTROL_FLOW =
      Set.of("Switch", "Merge", "Enter", "Exit", "NextIteration", "LoopCond", "RefSwitch", "RefMerge");

  public UnsupportedOpsException(Map<String, List<String>> unsupportedOps, List<String> problems) {
    super(unsupportedOps, problems, " TensorFlow op is not supported: ", " TensorFlow ops are not supported: ",
        unsupportedOps.keySet().stream().anyMatch(TF1_CONTROL_FLOW::contains)
            ? " (TF1 control flow: Switch/Merge/Enter/Exit loops and conditionals are not converted;"
                + " TF2's functional While and If are, so re-export the model from TensorFlow 2)"
            : "");
  }
}
