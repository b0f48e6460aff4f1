package dev.modelbridge.tensorflow.export;

import java.util.Optional;
import org.tensorflow.proto.DataType;

/**
 * The training losses NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss: the class axis is
 * 1 ({@code [N, C, d1, ...]}), the picked log-probability comes from a one-hot product along it,
 * samples whose target is {@code ignore_index} weigh 0, and {@code mean} divides by the summed
 * weights of the samples, as the operators define it.
 */
final class LossExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("NegativeLogLikelihoodLoss", 12, c -> c.bind(0, nll(c, c.input(0))));
    t.add("SoftmaxCrossEntropyLoss", 12, LossExport::softmaxCrossEntropy);
  }

  private static void softmaxCrossEntropy(ExportContext c) throws OpExportException {
    TfRef scores = c.input(0);
    int rank = c.requireRank(0);
    TfRef logProb;
    if (rank == 2) {
      logProb = c.op("LogSoftmax", scores);
    } else {
      // TensorFlow's LogSoftmax works on the last axis: move the class axis there and back.
      long[] toLast = new long[rank];
      long[] back = new long[rank];
      toLast[0] = 0;
      for (int i = 1; i < rank - 1; i++) {
        toLast[i] = i + 1;
      }
      toLast[rank - 1] = 1;
      for (int i = 0; i < rank; i++) {
        back[(int) toLast[i]] = i;
      }
      logProb = c.transpose(c.op("LogSoftmax", c.transpose(scores, toLast)), back);
    }
    c.bind(0, nll(c, logProb));
    c.bind(1, logProb);
  }

  /** The loss of log-probabilities {@code input} against input 1 (targets), weighted by input 2. */
  private static TfRef nll(ExportContext c, TfRef input) throws OpExportException {
    String reduction = c.attrString("reduction", "mean");
    if (!reduction.equals("none") && !reduction.equals("sum") && !reduction.equals("mean")) {
      throw new OpExportException("reduction '" + reduction + "' is not defined");
    }
    TfRef target = c.input(1);
    if (target.dtype() != DataType.DT_INT64 && target.dtype() != DataType.DT_INT32) {
      target = c.cast(target, DataType.DT_INT64);
    }
    int targetRank = c.requireRank(1);
    DataType dt = input.dtype();
    Optional<Long> ignore = c.node().attribute("ignore_index").map(a -> c.attrInt("ignore_index", 0));
    TfRef valid = null;
    TfRef safe = target;
    if (ignore.isPresent()) {
      TfRef ii = c.g().scalar(c.hint() + "/ignore_index", target.dtype(), ignore.get());
      valid = MlGraphOps.compare(c, "NotEqual", target, ii);
      // Ignored samples may hold an out-of-range class: index class 0 instead and weigh them 0.
      safe = MlGraphOps.select(c, valid, target, c.op("ZerosLike", target));
    }
    TfRef depth = c.cast(MlGraphOps.dim(c, input, 1), DataType.DT_INT32);
    TfRef oneHot = c.g().op("OneHot", c.hint() + "/OneHot").input(safe).input(depth)
        .input(AttentionExport.constant(c, dt, 1)).input(AttentionExport.constant(c, dt, 0))
        .attr("T", dt).attr("TI", safe.dtype()).attr("axis", 1L).output(dt);
    TfRef picked = c.reduce("Sum", c.op("Mul", input, oneHot), new long[] {1}, false);
    TfRef weight = null;
    if (c.hasInput(2)) {
      weight = MlGraphOps.gather(c, c.input(2), safe, 0);
    }
    if (valid != null) {
      TfRef validF = c.cast(valid, dt);
      weight = weight == null ? validF : c.op("Mul", weight, validF);
    }
    TfRef loss = c.op("Neg", weight == null ? picked : c.op("Mul", picked, weight));
    if (reduction.equals("none")) {
      return loss;
    }
    long[] all = new long[targetRank];
    for (int i = 0; i < targetRank; i++) {
      all[i] = i;
    }
    TfRef sum = c.reduce("Sum", loss, all, false);
    if (reduction.equals("sum")) {
      return sum;
    }
    if (weight == null) {
      return c.reduce("Mean", loss, all, false);
    }
    return c.op("RealDiv", sum, c.reduce("Sum", weight, all, false));
  }
}
