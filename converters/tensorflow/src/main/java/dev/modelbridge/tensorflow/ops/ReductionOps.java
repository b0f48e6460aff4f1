package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpHandler;
import dev.modelbridge.tensorflow.convert.OpRegistry;
import dev.modelbridge.tensorflow.convert.TfTensors;
import java.util.ArrayList;
import java.util.List;

/** Reductions over constant axes, and ArgMax/ArgMin. */
public final class ReductionOps implements OpRegistry.Family {

  @Override
  public void register(OpRegistry.Builder t) {
    t.add("Sum", reduce("ReduceSum", 13));
    t.add("Mean", reduce("ReduceMean", 18));
    t.add("Max", reduce("ReduceMax", 18));
    t.add("Min", reduce("ReduceMin", 18));
    t.add("Prod", reduce("ReduceProd", 18));
    t.add("ArgMax", arg("ArgMax"));
    t.add("ArgMin", arg("ArgMin"));
  }

  /**
   * TensorFlow reduces over the axes of its second input; ONNX takes them as an input from
   * {@code axesInputSince} on and as an attribute before.
   */
  private static OpHandler reduce(String onnxOp, int axesInputSince) {
    return ctx -> {
      long[] axes = ctx.constantInts(1);
      long keep = ctx.node().attrBool("keep_dims", false) ? 1 : 0;
      if (axes.length == 0) {
        ctx.bind(0, ctx.input(0)); // TensorFlow reduces over no axis: the input unchanged
        return;
      }
      List<Attribute> attrs = new ArrayList<>(List.of(Ops.i("keepdims", keep)));
      if (ctx.opset() >= axesInputSince) {
        ctx.produce(0, onnxOp, attrs, ctx.input(0), ctx.int64s(axes));
      } else {
        attrs.add(Ops.ints("axes", axes));
        ctx.produce(0, onnxOp, attrs, ctx.input(0));
      }
    };
  }

  private static OpHandler arg(String onnxOp) {
    return ctx -> {
      long[] axis = ctx.constantInts(1);
      if (axis.length != 1) {
        throw new OpConversionException("the axis must be a single value");
      }
      String out = ctx.emit(onnxOp, List.of(Ops.i("axis", axis[0]), Ops.i("keepdims", 0)), ctx.input(0));
      castTo(ctx, out, ctx.node().attrType("output_type").orElse(org.tensorflow.proto.DataType.DT_INT64));
    };
  }

  /** Binds output 0 to {@code value} (int64) cast to {@code type} when that differs. */
  static void castTo(NodeContext ctx, String value, org.tensorflow.proto.DataType type) throws OpConversionException {
    ElementType e;
    try {
      e = TfTensors.elementType(type);
    } catch (dev.modelbridge.ModelException ex) {
      throw new OpConversionException(ex.detail());
    }
    if (e == ElementType.INT64) {
      ctx.bind(0, value);
    } else {
      ctx.produce(0, "Cast", List.of(Ops.i("to", e.code())), value);
    }
  }
}
