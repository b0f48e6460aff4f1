package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpRegistry;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * Indexing and broadcasting: n-d gathers, embedding lookups, scatters, one-hot, top-k, the
 * coordinates of true values, reversal, broadcasts and the rank.
 */
public final class IndexOps implements OpRegistry.Family {

  @Override
  public void register(OpRegistry.Builder t) {
    t.add("GatherNd", ctx -> ctx.produce(0, "GatherND", List.of(), ctx.input(0), int64(ctx, 1)));
    // Embedding: the variable's handle is bound to its initializer; the lookup reads rows of it.
    t.add("ResourceGather", ctx -> {
      long batchDims = ctx.node().attrInt("batch_dims", 0);
      if (batchDims != 0) {
        throw new OpConversionException("ResourceGather with batch_dims " + batchDims + " is not supported");
      }
      ctx.produce(0, "Gather", List.of(Ops.i("axis", 0)), ctx.input(0), ctx.input(1));
    });
    t.add("OneHot", ctx -> {
      String off = Ops.unsqueeze(ctx, ctx.input(3), 0);
      String on = Ops.unsqueeze(ctx, ctx.input(2), 0);
      String values = ctx.emit("Concat", List.of(Ops.i("axis", 0)), off, on);
      ctx.produce(0, "OneHot", List.of(Ops.i("axis", ctx.node().attrInt("axis", -1))), ctx.input(0), ctx.input(1), values);
    });
    t.add("TopKV2", ctx -> {
      String k = ctx.emit("Reshape", List.of(), ctx.int64Input(1), ctx.int64s(1));
      String[] vi = ctx.emitMany(2, "TopK", List.of(Ops.i("axis", -1), Ops.i("largest", 1),
          Ops.i("sorted", 1)), ctx.input(0), k);
      ctx.bind(0, vi[0]);
      DataType index = ctx.node().attrType("index_type").orElse(DataType.DT_INT32);
      ctx.produce(1, "Cast", List.of(Ops.i("to", index == DataType.DT_INT64 ? ElementType.INT64.code()
          : ElementType.INT32.code())), vi[1]);
    });
    // Where(x): the coordinates of the non-zero values, one row each.
    t.add("Where", ctx -> ctx.produce(0, "Transpose", List.of(Ops.ints("perm", 1, 0)),
        ctx.emit("NonZero", List.of(), ctx.input(0))));
    t.add("ReverseV2", ctx -> {
      long[] axes = ctx.constantInts(1);
      if (axes.length == 0) {
        ctx.bind(0, ctx.input(0));
        return;
      }
      long[] starts = new long[axes.length];
      long[] ends = new long[axes.length];
      long[] steps = new long[axes.length];
      for (int i = 0; i < axes.length; i++) {
        starts[i] = -1;
        ends[i] = Long.MIN_VALUE;
        steps[i] = -1;
      }
      ctx.produce(0, "Slice", List.of(), ctx.input(0), ctx.int64s(starts), ctx.int64s(ends), ctx.int64s(axes),
          ctx.int64s(steps));
    });
    t.add("BroadcastTo", ctx -> ctx.produce(0, "Expand", List.of(), ctx.input(0), ctx.int64Input(1)));
    // The broadcast of two shapes: the shape of the sum of two zero tensors of those shapes.
    t.add("BroadcastArgs", ctx -> {
      String a = ctx.emit("ConstantOfShape", List.of(), ctx.int64Input(0));
      String b = ctx.emit("ConstantOfShape", List.of(), ctx.int64Input(1));
      String s = ctx.emit("Shape", List.of(), ctx.emit("Add", List.of(), a, b));
      ReductionOps.castTo(ctx, s, ctx.inputType(0).orElse(DataType.DT_INT32));
    });
    t.add("Rank", ctx -> ReductionOps.castTo(ctx,
        ctx.emit("Size", List.of(), ctx.emit("Shape", List.of(), ctx.input(0))), DataType.DT_INT32));
    // TensorFlow's ScatterNd adds duplicate indices into zeros.
    t.add("ScatterNd", ctx -> {
      needsOpset(ctx, 16);
      String zeros = ctx.emit("Expand", List.of(), ctx.scalar(ctx.elementType(1), 0), ctx.int64Input(2));
      ctx.produce(0, "ScatterND", List.of(dev.modelbridge.ir.Attribute.of("reduction", "add")), zeros, int64(ctx, 0),
          ctx.input(1));
    });
    t.add("TensorScatterUpdate", ctx ->
        ctx.produce(0, "ScatterND", List.of(), ctx.input(0), int64(ctx, 1), ctx.input(2)));
    t.add("TensorScatterAdd", ctx -> {
      needsOpset(ctx, 16);
      ctx.produce(0, "ScatterND", List.of(dev.modelbridge.ir.Attribute.of("reduction", "add")), ctx.input(0),
          int64(ctx, 1), ctx.input(2));
    });
  }

  /** ScatterND's reduction attribute came with opset 16. */
  private static void needsOpset(NodeContext ctx, int opset) throws OpConversionException {
    if (ctx.opset() < opset) {
      throw new OpConversionException("needs opset " + opset + " or later (ScatterND with reduction)");
    }
  }

  /** Input {@code i} as int64 (ONNX index inputs). */
  private static String int64(NodeContext ctx, int i) throws OpConversionException {
    return ctx.int64Input(i);
  }
}
