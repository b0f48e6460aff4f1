package dev.modelbridge.tensorflow.convert;

import dev.modelbridge.tensorflow.ops.ArrayOps;
import dev.modelbridge.tensorflow.ops.ControlFlowOps;
import dev.modelbridge.tensorflow.ops.DetectionOps;
import dev.modelbridge.tensorflow.ops.ElementwiseOps;
import dev.modelbridge.tensorflow.ops.IdentityOps;
import dev.modelbridge.tensorflow.ops.IndexOps;
import dev.modelbridge.tensorflow.ops.MathExtraOps;
import dev.modelbridge.tensorflow.ops.MathOps;
import dev.modelbridge.tensorflow.ops.NnOps;
import dev.modelbridge.tensorflow.ops.ReductionOps;
import dev.modelbridge.tensorflow.ops.SourceOps;
import dev.modelbridge.tensorflow.ops.SpatialOps;
import dev.modelbridge.tensorflow.ops.TensorListOps;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The table of TensorFlow op handlers, keyed by TensorFlow op name. Each op family registers its
 * handlers in {@link #standard()}, listed here in one place (no registration by class loading).
 */
public final class OpRegistry {

  /** A group of related handlers, such as the element-wise math ops. */
  public interface Family {
    void register(Builder table);
  }

  private final Map<String, OpHandler> handlers;

  private OpRegistry(Map<String, OpHandler> handlers) {
    this.handlers = Map.copyOf(handlers);
  }

  /** Every handler this module has. */
  public static OpRegistry standard() {
    Builder b = new Builder();
    List<Family> families = List.of(
        new SourceOps(),      // Placeholder, Const, variables
        new IdentityOps(),    // Identity, ReadVariableOp, NoOp...
        new ElementwiseOps(), // unary and binary element-wise math, comparisons, Select
        new MathOps(),        // MatMul, BatchMatMul, BiasAdd, Softmax, Relu6, AddN...
        new ReductionOps(),   // Sum, Mean, Max, Min, Prod, ArgMax...
        new ArrayOps(),       // Reshape, Transpose, Concat, Pack, Split, Slice, Gather, Fill...
        new NnOps(),          // Conv2D, pooling, FusedBatchNorm (NHWC via Transposes)
        new MathExtraOps(),   // Expm1, Log1p, All/Any, L2Loss, ClipByValue, Cumsum, MatrixBandPart...
        new IndexOps(),       // GatherNd, ResourceGather, OneHot, TopKV2, Where, ReverseV2, BroadcastTo...
        new SpatialOps(),     // Conv3D, Conv2DBackpropInput, 3-D pooling, DepthToSpace, Resize...
        new ControlFlowOps(),  // StatelessWhile/While -> Loop, StatelessIf/If -> If
        new TensorListOps(),   // TensorListReserve/GetItem/SetItem/Stack... as dense tensors (Keras RNN loops)
        new DetectionOps());   // NonMaxSuppressionV3/V4
    families.forEach(f -> f.register(b));
    return new OpRegistry(b.handlers);
  }

  public Optional<OpHandler> handler(String tfOp) {
    return Optional.ofNullable(handlers.get(tfOp));
  }

  /** The TensorFlow ops with a handler, sorted by name. */
  public List<String> supportedOps() {
    return List.copyOf(new TreeMap<>(handlers).keySet());
  }

  /** Collects handlers; registering one op twice is a programming error, caught at start-up. */
  public static final class Builder {
    private final Map<String, OpHandler> handlers = new TreeMap<>();

    public Builder add(String tfOp, OpHandler handler) {
      if (handlers.putIfAbsent(tfOp, handler) != null) {
        throw new IllegalStateException("TensorFlow op " + tfOp + " is registered twice");
      }
      return this;
    }

    /** Registers one handler under several op names. */
    public Builder add(List<String> tfOps, OpHandler handler) {
      tfOps.forEach(op -> add(op, handler));
      return this;
    }
  }
}
