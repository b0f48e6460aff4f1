package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.ModelException;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpRegistry;
import dev.modelbridge.tensorflow.convert.TfTensors;
import java.util.List;

/** Graph sources: inputs, constants and variables. */
public final class SourceOps implements OpRegistry.Family {

  @Override
  public void register(OpRegistry.Builder t) {
    // A fed Placeholder never reaches its handler: the walk stops at fed tensors.
    t.add("Placeholder", ctx -> {
      throw new OpConversionException("is needed by the outputs but is not one of the inputs");
    });
    t.add("PlaceholderWithDefault", ctx -> ctx.bind(0, ctx.input(0)));
    t.add("Const", ctx -> {
      Tensor value;
      try {
        value = TfTensors.fromProto("", ctx.node().attr("value")
            .orElseThrow(() -> new OpConversionException("has no value")).getTensor());
      } catch (ModelException e) {
        throw new OpConversionException(e.detail());
      }
      ctx.bind(0, ctx.initializer(value, ctx.node().name()));
    });
    t.add(List.of("VariableV2", "Variable", "VarHandleOp"), ctx -> {
      try {
        ctx.bind(0, ctx.variableInitializer());
      } catch (OpConversionException e) {
        throw e;
      } catch (ModelException e) {
        throw new OpConversionException(e.getMessage());
      }
    });
  }
}
