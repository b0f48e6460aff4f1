package dev.modelbridge.tensorflow.export;

import java.util.Arrays;
import java.util.Optional;
import org.tensorflow.proto.DataType;

/**
 * The ops whose training mode is part of the graph: BatchNormalization from opset 14 (batch
 * statistics and the running mean and variance outputs when {@code training_mode=1}) and Dropout
 * from opset 12 (its {@code training_mode} input decided at run time; a ratio of 0 or training off
 * is exactly the identity, any other ratio draws a fresh random mask).
 */
final class TrainingExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("BatchNormalization", 14, TrainingExport::batchNorm);
    t.add("Dropout", 12, TrainingExport::dropout);
  }

  private static void batchNorm(ExportContext c) throws OpExportException {
    int rank = c.requireRank(0);
    TfRef x = c.input(0);
    long[] pshape = new long[Math.max(rank - 1, 1)];
    Arrays.fill(pshape, 1);
    pshape[0] = -1;
    TfRef shape = c.g().int64s(c.hint() + "/param_shape", pshape);
    TfRef scale = c.reshape(c.input(1), shape);
    TfRef bias = c.reshape(c.input(2), shape);
    TfRef mean;
    TfRef var;
    boolean training = c.attrInt("training_mode", 0) != 0;
    if (training) {
      long[] axes = new long[rank - 1];
      axes[0] = 0;
      for (int i = 2; i < rank; i++) {
        axes[i - 1] = i;
      }
      // Population statistics over every axis but the channels, as the operator defines them.
      mean = c.cast(c.reduce("Mean", x, axes, true), c.input(3).dtype());
      TfRef d = c.op("Sub", c.input(0), c.cast(mean, x.dtype()));
      var = c.cast(c.reduce("Mean", c.op("Mul", d, d), axes, true), c.input(4).dtype());
      float momentum = c.attrFloat("momentum", 0.9f);
      TfRef batchMean = c.reshape(mean, c.g().int64s(c.hint() + "/flat", -1));
      TfRef batchVar = c.reshape(var, c.g().int64s(c.hint() + "/flat", -1));
      c.bind(1, running(c, c.input(3), batchMean, momentum));
      c.bind(2, running(c, c.input(4), batchVar, momentum));
    } else {
      if (c.hasOutput(1) || c.hasOutput(2)) {
        throw new OpExportException("running mean and variance outputs need training_mode=1");
      }
      mean = c.reshape(c.input(3), shape);
      var = c.reshape(c.input(4), shape);
    }
    TfRef eps = c.scalarLike(var, c.attrFloat("epsilon", 1e-5f));
    TfRef inv = c.op("Rsqrt", c.op("AddV2", var, eps));
    TfRef y = c.op("Mul", c.op("Sub", x, c.cast(mean, x.dtype())), c.cast(c.op("Mul", scale, c.cast(inv, scale.dtype())), x.dtype()));
    c.bind(0, c.op("AddV2", y, c.cast(bias, x.dtype())));
  }

  /** {@code running * momentum + batch * (1 - momentum)}. */
  private static TfRef running(ExportContext c, TfRef running, TfRef batch, float momentum) {
    return c.op("AddV2", c.op("Mul", running, c.scalarLike(running, momentum)),
        c.op("Mul", batch, c.scalarLike(batch, 1 - (double) momentum)));
  }

  private static void dropout(ExportContext c) throws OpExportException {
    TfRef x = c.input(0);
    Optional<boolean[]> training = c.constantBools(2);
    boolean off = !c.hasInput(2) || training.map(v -> v.length == 1 && !v[0]).orElse(false);
    if (off) {
      c.bind(0, c.op("Identity", x));
      if (c.hasOutput(1)) {
        c.bind(1, c.cast(c.op("OnesLike", x), DataType.DT_BOOL));
      }
      return;
    }
    TfRef ratio = c.hasInput(1) ? c.cast(c.input(1), x.dtype()) : c.scalarLike(x, c.attrFloat("ratio", 0.5f));
    TfRef uniform = c.g().op("RandomUniform", c.hint() + "/RandomUniform").input(c.shapeOf(x))
        .attr("dtype", x.dtype()).attr("T", DataType.DT_INT64).attr("seed", c.attrInt("seed", 0))
        .attr("seed2", 0L).output(x.dtype());
    // Keep where u >= ratio: with ratio 0 every element is kept (u is in [0, 1)).
    TfRef keep = MlGraphOps.compare(c, "GreaterEqual", uniform, ratio);
    TfRef kept = c.op("RealDiv", MlGraphOps.select(c, keep, x, c.op("ZerosLike", x)),
        c.op("Sub", c.scalarLike(x, 1), ratio));
    TfRef on = c.input(2);
    c.bind(0, MlGraphOps.select(c, on, kept, x));
    if (c.hasOutput(1)) {
      TfRef all = c.cast(c.op("OnesLike", x), DataType.DT_BOOL);
      c.bind(1, c.g().op("SelectV2", c.hint() + "/mask").input(on).input(keep).input(all)
          .attr("T", DataType.DT_BOOL).output(DataType.DT_BOOL));
    }
  }
}
