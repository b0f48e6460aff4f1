package dev.modelbridge.tensorflow.convert;

import dev.modelbridge.ModelException;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.tensorflow.graph.TfNode;

/** The saved values of a graph's variables. */
@FunctionalInterface
public interface VariableStore {

  /** A store for a graph without variables: every lookup fails. */
  VariableStore NONE = (node, name) -> {
    throw new OpConversionException("no saved value (the model has no variables folder)");
  };

  /**
   * The value of {@code variable} (a {@code VariableV2} or {@code VarHandleOp} node) as a tensor
   * called {@code name}, a view of the checkpoint where possible.
   */
  Tensor value(TfNode variable, String name) throws ModelException;
}
