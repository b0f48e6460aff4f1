package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpRegistry;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;

/** Shape and layout ops: reshape, squeeze, concat, transpose, pack, split, tile, gather, fill... */
public final class ArrayOps implements OpRegistry.Family {

  @Override
  public void register(OpRegistry.Builder t) {
    t.add("Reshape", ctx -> {
      boolean zeroDim = ctx.constant(1).isPresent() && java.util.Arrays.stream(ctx.constantInts(1)).anyMatch(d -> d == 0);
      List<Attribute> attrs = zeroDim && ctx.opset() >= 14 ? List.of(Ops.i("allowzero", 1)) : List.of();
      ctx.produce(0, "Reshape", attrs, ctx.input(0), ctx.int64Input(1));
    });
    t.add("Squeeze", ctx -> {
      long[] axes = ctx.node().attrInts("squeeze_dims");
      if (axes.length == 0) {
        axes = ctx.node().attrInts("axis");
      }
      if (axes.length == 0) {
        ctx.produce(0, "Squeeze", List.of(), ctx.input(0));
      } else {
        ctx.produce(0, "Squeeze", List.of(), ctx.input(0), ctx.int64s(axes));
      }
    });
    t.add("ExpandDims", ctx -> ctx.produce(0, "Unsqueeze", List.of(), ctx.input(0), ctx.int64s(single(ctx, 1))));
    t.add("ConcatV2", ctx -> concat(ctx, 0, ctx.inputCount() - 1, ctx.inputCount() - 1));
    t.add("Concat", ctx -> concat(ctx, 1, ctx.inputCount(), 0));
    t.add("Transpose", ctx -> ctx.produce(0, "Transpose", List.of(Ops.ints("perm", ctx.constantInts(1))), ctx.input(0)));
    t.add("Shape", ctx -> ReductionOps.castTo(ctx, ctx.emit("Shape", List.of(), ctx.input(0)),
        ctx.node().attrType("out_type").orElse(DataType.DT_INT32)));
    t.add("Size", ctx -> ReductionOps.castTo(ctx, ctx.emit("Size", List.of(), ctx.input(0)),
        ctx.node().attrType("out_type").orElse(DataType.DT_INT32)));
    t.add("Pack", ctx -> {
      long axis = ctx.node().attrInt("axis", 0);
      String[] parts = new String[ctx.inputCount()];
      for (int i = 0; i < parts.length; i++) {
        parts[i] = Ops.unsqueeze(ctx, ctx.input(i), axis);
      }
      ctx.produce(0, "Concat", List.of(Ops.i("axis", axis)), parts);
    });
    t.add("Unpack", ctx -> {
      long axis = ctx.node().attrInt("axis", 0);
      int num = (int) ctx.node().attrInt("num", 1);
      String[] parts = split(ctx, ctx.input(0), axis, num, null);
      for (int k = 0; k < num; k++) {
        ctx.bind(k, ctx.emit("Squeeze", List.of(), parts[k], ctx.int64s(axis)));
      }
    });
    t.add("Split", ctx -> {
      int num = (int) ctx.node().attrInt("num_split", 1);
      String[] parts = split(ctx, ctx.input(1), single(ctx, 0)[0], num, null);
      for (int k = 0; k < num; k++) {
        ctx.bind(k, parts[k]);
      }
    });
    t.add("SplitV", ctx -> {
      long[] sizes = ctx.constantInts(1);
      long axis = single(ctx, 2)[0];
      String sizesValue = java.util.Arrays.stream(sizes).anyMatch(s -> s < 0)
          ? inferredSizes(ctx, sizes, axis) : ctx.int64s(sizes);
      String[] parts = split(ctx, ctx.input(0), axis, sizes.length, sizesValue);
      for (int k = 0; k < parts.length; k++) {
        ctx.bind(k, parts[k]);
      }
    });
    t.add("Fill", ctx -> ctx.produce(0, "Expand", List.of(), ctx.input(1), ctx.int64Input(0)));
    t.add("Tile", ctx -> ctx.produce(0, "Tile", List.of(), ctx.input(0), ctx.int64Input(1)));
    t.add(List.of("Pad", "PadV2", "MirrorPad"), ctx -> {
      long[] p = ctx.constantInts(1);
      int rank = p.length / 2;
      long[] pads = new long[p.length];
      for (int i = 0; i < rank; i++) {
        pads[i] = p[2 * i];
        pads[rank + i] = p[2 * i + 1];
      }
      String mode = "constant";
      if (ctx.node().op().equals("MirrorPad")) {
        String m = ctx.node().attrString("mode", "");
        if (m.equals("SYMMETRIC")) {
          SymmetricPad.convert(ctx, p);
          return;
        }
        if (!m.equals("REFLECT")) {
          throw new OpConversionException("MirrorPad mode " + m + " is not supported");
        }
        mode = "reflect";
      }
      List<Attribute> attrs = List.of(Attribute.of("mode", mode));
      if (ctx.node().op().equals("PadV2")) {
        ctx.produce(0, "Pad", attrs, ctx.input(0), ctx.int64s(pads), ctx.input(2));
      } else {
        ctx.produce(0, "Pad", attrs, ctx.input(0), ctx.int64s(pads));
      }
    });
    t.add("GatherV2", BatchGather::gatherV2);
    t.add("Gather", ctx -> ctx.produce(0, "Gather", List.of(Ops.i("axis", 0)), ctx.input(0), ctx.input(1)));
    t.add("Slice", ctx -> {
      long[] begin = ctx.constantInts(1);
      long[] size = ctx.constantInts(2);
      long[] end = new long[begin.length];
      long[] axes = new long[begin.length];
      for (int i = 0; i < begin.length; i++) {
        end[i] = size[i] < 0 ? Long.MAX_VALUE : begin[i] + size[i];
        axes[i] = i;
      }
      ctx.produce(0, "Slice", List.of(), ctx.input(0), ctx.int64s(begin), ctx.int64s(end), ctx.int64s(axes));
    });
    t.add("StridedSlice", new StridedSlice());
    t.add("Range", ctx -> ctx.produce(0, "Range", List.of(), ctx.input(0), ctx.input(1), ctx.input(2)));
    // Dropout masks at inference (keep_prob 1) do not depend on the drawn values.
    t.add("RandomUniform", ctx -> {
      Attribute dtype = Ops.i("dtype", ctx.elementTypeOfAttr("dtype").code());
      if (ctx.constant(0).isPresent()) {
        ctx.produce(0, "RandomUniform", List.of(Ops.ints("shape", ctx.constantInts(0)), dtype));
      } else {
        ctx.produce(0, "RandomUniformLike", List.of(dtype), ctx.emit("ConstantOfShape", List.of(), ctx.int64Input(0)));
      }
    });
    t.add("ZerosLike", ctx -> filled(ctx, 0));
    t.add("OnesLike", ctx -> filled(ctx, 1));
  }

  /** The values of constant input {@code i}, which must hold exactly one. */
  static long[] single(NodeContext ctx, int i) throws OpConversionException {
    long[] v = ctx.constantInts(i);
    if (v.length != 1) {
      throw new OpConversionException("input " + i + " must hold one value, not " + v.length);
    }
    return v;
  }

  private static void concat(NodeContext ctx, int from, int to, int axisInput) throws OpConversionException {
    String[] in = new String[to - from];
    for (int i = from; i < to; i++) {
      in[i - from] = ctx.input(i);
    }
    ctx.produce(0, "Concat", List.of(Ops.i("axis", single(ctx, axisInput)[0])), in);
  }

  /** Splits into {@code num} parts (equal ones when {@code sizes} is null). */
  private static String[] split(NodeContext ctx, String value, long axis, int num, String sizes) {
    List<Attribute> attrs = new ArrayList<>(List.of(Ops.i("axis", axis)));
    if (sizes == null && ctx.opset() >= 18) {
      attrs.add(Ops.i("num_outputs", num));
    }
    String[] outs = ctx.emitMany(num, "Split", attrs, sizes == null ? new String[] {value} : new String[] {value, sizes});
    return outs;
  }

  /** SplitV's sizes with the one -1 computed from the input's dimension along {@code axis}. */
  private static String inferredSizes(NodeContext ctx, long[] sizes, long axis) throws OpConversionException {
    long known = 0;
    int unknown = 0;
    for (long s : sizes) {
      if (s < 0) {
        unknown++;
      } else {
        known += s;
      }
    }
    if (unknown != 1) {
      throw new OpConversionException("size_splits may hold one -1, not " + unknown);
    }
    String shape = ctx.emit("Shape", List.of(), ctx.input(0));
    String dim = axis < 0
        ? ctx.emit("Slice", List.of(), shape, ctx.int64s(axis), ctx.int64s(axis == -1 ? Long.MAX_VALUE : axis + 1))
        : ctx.emit("Slice", List.of(), shape, ctx.int64s(axis), ctx.int64s(axis + 1));
    String rest = ctx.emit("Sub", List.of(), dim, ctx.int64s(known));
    String[] parts = new String[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      parts[i] = sizes[i] < 0 ? rest : ctx.int64s(sizes[i]);
    }
    return ctx.emit("Concat", List.of(Ops.i("axis", 0)), parts);
  }

  private static void filled(NodeContext ctx, double value) throws OpConversionException {
    String shape = ctx.emit("Shape", List.of(), ctx.input(0));
    String one = ctx.scalar(ctx.elementType(0), value);
    ctx.produce(0, "Expand", List.of(), one, shape);
  }
}
