package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.tensorflow.convert.OpRegistry;
import java.util.List;

/**
 * Ops that pass values through. They emit no node: their outputs are the IR values of their
 * inputs, so Identity and ReadVariableOp chains collapse onto the constant or variable they read.
 */
public final class IdentityOps implements OpRegistry.Family {

  @Override
  public void register(OpRegistry.Builder t) {
    t.add(List.of("Identity", "Snapshot", "StopGradient", "PreventGradient", "ReadVariableOp", "CheckNumerics",
        "EnsureShape", "DebugIdentity"), ctx -> ctx.bind(0, ctx.input(0)));
    t.add("IdentityN", ctx -> {
      for (int i = 0; i < ctx.inputCount(); i++) {
        ctx.bind(i, ctx.input(i));
      }
    });
    t.add("NoOp", ctx -> { });
  }
}
