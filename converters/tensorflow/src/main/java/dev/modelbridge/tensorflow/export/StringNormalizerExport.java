package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Bytes;
import java.util.List;
import java.util.Locale;
import org.tensorflow.proto.DataType;

/**
 * StringNormalizer with TensorFlow's string ops: stop words dropped through a mask of string
 * equalities (compared lowercased unless case-sensitive), then StringLower or StringUpper (UTF-8).
 * When every element is dropped, ONNX gives one empty string.
 */
final class StringNormalizerExport implements ExportRegistry.Family {
  private static final DataType STRING = DataType.DT_STRING;
  private static final DataType I32 = DataType.DT_INT32;

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("StringNormalizer", 10, StringNormalizerExport::normalize);
  }

  private static void normalize(ExportContext c) throws OpExportException {
    TfGraph g = c.g();
    String h = c.hint();
    int rank = c.requireRank(0);
    if (rank != 1 && rank != 2) {
      throw new OpExportException("only [C] and [1, C] inputs are defined, not rank " + rank);
    }
    String action = c.attrString("case_change_action", "NONE");
    if (!List.of("NONE", "LOWER", "UPPER").contains(action)) {
      throw new OpExportException("unknown case_change_action '" + action + "'");
    }
    boolean sensitive = c.attrInt("is_case_sensitive", 0) != 0;
    List<String> stopwords = c.node().attribute("stopwords")
        .map(a -> a instanceof Attribute.StringsAttr s ? s.values().stream().map(Bytes::toUtf8).toList() : List.<String>of())
        .orElse(List.of());
    TfRef y = c.reshape(c.input(0), g.int32s(h + "/flat", -1));
    if (!stopwords.isEmpty()) {
      y = dropStopwords(c, y, sensitive ? stopwords
          : stopwords.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList(), sensitive);
    }
    if (!action.equals("NONE")) {
      y = g.op(action.equals("LOWER") ? "StringLower" : "StringUpper", h + "/case").input(y).attr("encoding", "utf-8")
          .output(STRING);
    }
    c.bind(0, rank == 2 ? c.reshape(y, g.int32s(h + "/row", 1, -1)) : c.op("Identity", y));
  }

  private static TfRef dropStopwords(ExportContext c, TfRef words, List<String> stop, boolean sensitive) {
    TfGraph g = c.g();
    String h = c.hint();
    TfRef key = sensitive ? words : g.op("StringLower", h + "/key").input(words).attr("encoding", "utf-8").output(STRING);
    TfRef column = g.op("ExpandDims", h + "/column").input(key).input(g.scalar(h + "/column_axis", I32, 1))
        .attr("T", STRING).attr("Tdim", I32).output(STRING);
    TfRef equal = g.op("Equal", h + "/is_stopword").input(column).input(g.strings(h + "/stopwords", false, stop))
        .attr("T", STRING).attr("incompatible_shape_error", true).output(DataType.DT_BOOL);
    TfRef hit = g.op("Any", h + "/any").input(equal).input(g.scalar(h + "/any_axis", I32, 1)).attr("keep_dims", false)
        .attr("Tidx", I32).output(DataType.DT_BOOL);
    TfRef keep = g.op("LogicalNot", h + "/keep").input(hit).output(DataType.DT_BOOL);
    TfRef where = g.op("Where", h + "/where").input(keep).attr("T", DataType.DT_BOOL).output(DataType.DT_INT64);
    TfRef kept = g.op("GatherNd", h + "/kept").input(words).input(where).attr("Tparams", STRING)
        .attr("Tindices", DataType.DT_INT64).output(STRING);
    // One empty string when nothing is left: pad with 1 - min(n, 1) of them.
    TfRef n = g.op("Size", h + "/count").input(kept).attr("T", STRING).attr("out_type", I32).output(I32);
    TfRef none = g.op("Sub", h + "/none").input(g.scalar(h + "/one", I32, 1))
        .input(g.op("Minimum", h + "/min").input(n).input(g.scalar(h + "/one_", I32, 1)).attr("T", I32).output(I32))
        .attr("T", I32).output(I32);
    TfRef pad = g.op("Fill", h + "/pad").input(c.reshape(none, g.int32s(h + "/pad_shape", 1)))
        .input(g.strings(h + "/empty", true, List.of(""))).attr("T", STRING).attr("index_type", I32).output(STRING);
    return g.op("ConcatV2", h + "/padded").input(kept).input(pad).input(g.scalar(h + "/axis", I32, 0)).attr("N", 2L)
        .attr("T", STRING).attr("Tidx", I32).output(STRING);
  }
}
