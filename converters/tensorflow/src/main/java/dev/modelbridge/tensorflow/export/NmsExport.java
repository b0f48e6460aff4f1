package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * NonMaxSuppression as one TensorFlow NonMaxSuppressionV3 per (batch, class), which needs static
 * batch and class counts; the selections are tagged with their batch and class and concatenated
 * into ONNX's [num_selected, 3] int64 triples, in ONNX's order (batch, then class, then score).
 */
final class NmsExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("NonMaxSuppression", 10, NmsExport::nms);
  }

  private static void nms(ExportContext c) throws OpExportException {
    long[] boxDims = c.dims(0).orElseThrow(() -> new OpExportException("the shape of boxes is not known"));
    long[] scoreDims = c.dims(1).orElseThrow(() -> new OpExportException("the shape of scores is not known"));
    if (boxDims.length != 3 || scoreDims.length != 3 || boxDims[0] < 0 || scoreDims[1] < 0) {
      throw new OpExportException("boxes and scores need static batch and class counts (one TensorFlow NMS per pair)");
    }
    long batches = boxDims[0];
    long classes = scoreDims[1];
    TfRef boxes = c.cast(c.input(0), DataType.DT_FLOAT);
    TfRef scores = c.cast(c.input(1), DataType.DT_FLOAT);
    if (c.attrInt("center_point_box", 0) != 0) {
      boxes = corners(c, boxes);
    }
    // ONNX: 0 boxes when max_output_boxes_per_class is absent; TensorFlow wants an int32 scalar,
    // so the count is first capped at the number of boxes.
    TfRef maxOut;
    TfRef numBoxes = SeqOps.index(c, c.shapeOf(scores), 2);
    if (c.hasInput(2)) {
      TfRef m = SeqOps.scalar(c, c.cast(c.input(2), DataType.DT_INT64));
      m = c.op("Maximum", c.op("Minimum", m, numBoxes), c.scalarLike(m, 0));
      maxOut = c.cast(m, DataType.DT_INT32);
    } else {
      maxOut = c.g().scalar(c.hint() + "/max_out", DataType.DT_INT32, 0);
    }
    TfRef iou = c.hasInput(3) ? SeqOps.scalar(c, c.cast(c.input(3), DataType.DT_FLOAT))
        : c.g().scalar(c.hint() + "/iou", DataType.DT_FLOAT, 0);
    // ONNX suppresses when IoU > threshold, TensorFlow when IoU >= threshold: the next float up
    // turns one test into the other. TensorFlow also requires the threshold within [0, 1].
    TfRef inf = c.g().scalar(c.hint() + "/inf", DataType.DT_FLOAT, Double.POSITIVE_INFINITY);
    TfRef up = c.g().op("NextAfter", c.hint() + "/NextAfter").input(iou).input(inf).attr("T", DataType.DT_FLOAT)
        .output(DataType.DT_FLOAT);
    iou = c.op("Minimum", up, c.g().scalar(c.hint() + "/one", DataType.DT_FLOAT, 1));
    TfRef scoreMin = c.hasInput(4) ? SeqOps.scalar(c, c.cast(c.input(4), DataType.DT_FLOAT))
        : c.g().scalar(c.hint() + "/no_score_threshold", DataType.DT_FLOAT, Double.NEGATIVE_INFINITY);

    List<TfRef> rows = new ArrayList<>();
    for (long b = 0; b < batches; b++) {
      TfRef batchBoxes = SeqOps.index(c, boxes, b);
      TfRef batchScores = SeqOps.index(c, scores, b);
      for (long k = 0; k < classes; k++) {
        TfRef selected = c.g().op("NonMaxSuppressionV3", c.hint() + "/NMS").input(batchBoxes)
            .input(SeqOps.index(c, batchScores, k)).input(maxOut).input(iou).input(scoreMin)
            .attr("T", DataType.DT_FLOAT).attr("T_threshold", DataType.DT_FLOAT).output(DataType.DT_INT32);
        TfRef idx = c.cast(selected, DataType.DT_INT64);
        TfRef n = c.g().op("Size", c.hint() + "/Size").input(idx).attr("T", DataType.DT_INT64)
            .attr("out_type", DataType.DT_INT64).output(DataType.DT_INT64);
        TfRef nShape = c.reshape(n, c.g().int32s(c.hint() + "/one_dim", 1));
        rows.add(SeqOps.pack(c, List.of(fill(c, nShape, b), fill(c, nShape, k), idx), 1));
      }
    }
    c.bind(0, rows.size() == 1 ? rows.get(0) : SeqOps.concat(c, rows, 0));
  }

  private static TfRef fill(ExportContext c, TfRef shape, long value) {
    return c.g().op("Fill", c.hint() + "/Fill").input(shape).input(c.g().scalar(c.hint() + "/v", DataType.DT_INT64, value))
        .attr("T", DataType.DT_INT64).attr("index_type", DataType.DT_INT64).output(DataType.DT_INT64);
  }

  /** {@code [x_center, y_center, width, height]} to two opposite corners (TensorFlow reads any order). */
  private static TfRef corners(ExportContext c, TfRef boxes) {
    TfRef center = c.g().op("StridedSlice", c.hint() + "/center").input(boxes)
        .input(c.g().int64s(c.hint() + "/b", 0, 0)).input(c.g().int64s(c.hint() + "/e", 0, 2))
        .input(c.g().int64s(c.hint() + "/s", 1, 1)).attr("T", boxes.dtype()).attr("Index", DataType.DT_INT64)
        .attr("ellipsis_mask", 1L).output(boxes.dtype());
    TfRef size = c.g().op("StridedSlice", c.hint() + "/size").input(boxes)
        .input(c.g().int64s(c.hint() + "/b", 0, 2)).input(c.g().int64s(c.hint() + "/e", 0, 4))
        .input(c.g().int64s(c.hint() + "/s", 1, 1)).attr("T", boxes.dtype()).attr("Index", DataType.DT_INT64)
        .attr("ellipsis_mask", 1L).output(boxes.dtype());
    TfRef half = c.op("Mul", size, c.scalarLike(size, 0.5));
    return SeqOps.concat(c, List.of(c.op("Sub", center, half), c.op("AddV2", center, half)), -1);
  }
}
