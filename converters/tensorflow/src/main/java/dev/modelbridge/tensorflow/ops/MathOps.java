package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import dev.modelbridge.tensorflow.convert.OpRegistry;
import java.util.List;

/** Matrix products, bias addition, softmax and n-ary sums. */
public final class MathOps implements OpRegistry.Family {

  @Override
  public void register(OpRegistry.Builder t) {
    t.add("MatMul", ctx -> {
      String a = ctx.node().attrBool("transpose_a", false) ? Ops.transpose(ctx, ctx.input(0), 1, 0) : ctx.input(0);
      String b = ctx.node().attrBool("transpose_b", false) ? Ops.transpose(ctx, ctx.input(1), 1, 0) : ctx.input(1);
      ctx.produce(0, "MatMul", List.of(), a, b);
    });
    t.add(List.of("BatchMatMul", "BatchMatMulV2", "BatchMatMulV3"), ctx -> {
      String a = adjoint(ctx, 0, ctx.node().attrBool("adj_x", false));
      String b = adjoint(ctx, 1, ctx.node().attrBool("adj_y", false));
      ctx.produce(0, "MatMul", List.of(), a, b);
    });
    t.add(List.of("BiasAdd", "BiasAddV1"), ctx -> {
      if (ctx.node().op().equals("BiasAddV1") || Ops.channelsLast(ctx)) {
        ctx.produce(0, "Add", List.of(), ctx.input(0), ctx.input(1));
        return;
      }
      int rank = ctx.inputRank(0);
      if (rank < 0) {
        rank = 4; // NCHW bias adds are almost always on images
      }
      long[] axes = java.util.stream.LongStream.range(1, rank - 1).toArray();
      ctx.produce(0, "Add", List.of(), ctx.input(0), Ops.unsqueeze(ctx, ctx.input(1), axes));
    });
    t.add("Softmax", ctx -> ctx.produce(0, "Softmax", List.of(Ops.i("axis", -1)), ctx.input(0)));
    t.add("LogSoftmax", ctx -> ctx.produce(0, "LogSoftmax", List.of(Ops.i("axis", -1)), ctx.input(0)));
    t.add("AddN", Ops.same("Sum"));
    t.add("Einsum", ctx -> {
      String[] in = new String[ctx.inputCount()];
      for (int i = 0; i < in.length; i++) {
        in[i] = ctx.input(i);
      }
      String eq = ctx.node().attrString("equation", "");
      if (eq.contains("...") && ctx.opset() < 12) {
        throw new OpConversionException("ellipsis in Einsum needs opset 12 or later");
      }
      ctx.produce(0, "Einsum", List.of(Attribute.of("equation", eq)), in);
    });
  }

  /** Input {@code i}, with its last two axes swapped when {@code adjoint}; needs a known rank. */
  private static String adjoint(NodeContext ctx, int i, boolean adjoint) throws OpConversionException {
    if (!adjoint) {
      return ctx.input(i);
    }
    int rank = ctx.inputRank(i);
    if (rank < 2) {
      throw new OpConversionException("adj_x/adj_y need the rank of input " + i + ", which the graph does not record");
    }
    long[] perm = java.util.stream.LongStream.range(0, rank).toArray();
    perm[rank - 2] = rank - 1;
    perm[rank - 1] = rank - 2;
    return Ops.transpose(ctx, ctx.input(i), perm);
  }
}
