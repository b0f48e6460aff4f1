package dev.modelbridge.tensorflow.ops;

import dev.modelbridge.tensorflow.convert.NodeContext;
import dev.modelbridge.tensorflow.convert.OpConversionException;
import java.util.List;

/**
 * TensorFlow's GatherV2 with {@code batch_dims}: for each index of the first {@code batch_dims} axes
 * (shared by params and indices), a gather on {@code axis}. ONNX's GatherND has batch dimensions but
 * gathers only on the axis right after them, so a later axis is first moved there and the gathered
 * axes are then moved back to where TensorFlow puts them.
 */
final class BatchGather {
  private BatchGather() {}

  static void gatherV2(NodeContext ctx) throws OpConversionException {
    long batchDims = ctx.node().attrInt("batch_dims", 0);
    long axis = ArrayOps.single(ctx, 2)[0];
    if (batchDims == 0) {
      ctx.produce(0, "Gather", List.of(Ops.i("axis", axis)), ctx.input(0), ctx.input(1));
      return;
    }
    int paramsRank = ctx.inputRank(0);
    int indicesRank = ctx.inputRank(1);
    if (batchDims < 0 || axis < 0) {
      if (paramsRank < 0 || indicesRank < 0) {
        throw new OpConversionException("negative batch_dims or axis need the ranks of params and indices, which the"
            + " graph does not record");
      }
      batchDims = batchDims < 0 ? batchDims + indicesRank : batchDims;
      axis = axis < 0 ? axis + paramsRank : axis;
    }
    if (axis < batchDims) {
      throw new OpConversionException("batch_dims " + batchDims + " must not exceed axis " + axis);
    }
    String idx = Ops.unsqueeze(ctx, ctx.int64Input(1), -1);
    if (axis == batchDims) {
      // Gathering on the axis right after the batch axes is GatherND over 1-element index tuples.
      ctx.produce(0, "GatherND", List.of(Ops.i("batch_dims", batchDims)), ctx.input(0), idx);
      return;
    }
    if (paramsRank < 0 || indicesRank < 0) {
      throw new OpConversionException("batch_dims " + batchDims + " with axis " + axis + " needs the ranks of params"
          + " and indices, which the graph does not record");
    }
    int b = (int) batchDims;
    int a = (int) axis;
    // params [B, P, A, Q] -> [B, A, P, Q]; GatherND gives [B, I, P, Q]; TensorFlow's order is [B, P, I, Q].
    long[] toFront = new long[paramsRank];
    int k = 0;
    for (int i = 0; i < b; i++) {
      toFront[k++] = i;
    }
    toFront[k++] = a;
    for (int i = b; i < paramsRank; i++) {
      if (i != a) {
        toFront[k++] = i;
      }
    }
    String gathered = ctx.emit("GatherND", List.of(Ops.i("batch_dims", b)), Ops.transpose(ctx, ctx.input(0), toFront),
        idx);
    int ni = indicesRank - b;
    int np = a - b;
    int outRank = b + ni + paramsRank - b - 1;
    long[] back = new long[outRank];
    k = 0;
    for (int i = 0; i < b; i++) {
      back[k++] = i;
    }
    for (int i = 0; i < np; i++) {
      back[k++] = b + ni + i;
    }
    for (int i = 0; i < ni; i++) {
      back[k++] = b + i;
    }
    for (int i = b + ni + np; i < outRank; i++) {
      back[k++] = i;
    }
    ctx.produce(0, "Transpose", List.of(Ops.ints("perm", back)), gathered);
  }
}
