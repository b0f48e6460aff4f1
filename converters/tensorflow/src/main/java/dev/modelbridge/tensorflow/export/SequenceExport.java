package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Type;
import java.util.List;
import org.tensorflow.proto.DataType;

/**
 * ONNX sequences as TensorFlow TensorLists. Inserting or erasing in the middle and concatenating
 * along an inner axis have no TensorList op: they run as While loops over the elements.
 */
final class SequenceExport implements ExportRegistry.Family {
  private static final DataType I32 = DataType.DT_INT32;
  private static final DataType I64 = DataType.DT_INT64;

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("SequenceEmpty", 11, c -> c.bind(0, TensorLists.empty(c.g(), c.hint(), ExportContext.dtype(
        ElementType.fromCode((int) c.attrInt("dtype", 1)).orElseThrow(() -> new OpExportException("unknown dtype"))))));
    t.add("SequenceConstruct", 11, SequenceExport::construct);
    t.add("SequenceInsert", 11, SequenceExport::insert);
    t.add("SequenceErase", 11, SequenceExport::erase);
    t.add("SequenceAt", 11, c -> c.bind(0, TensorLists.getItem(c.g(), c.hint(), c.input(0),
        position(c, c.input(1), TensorLists.length(c.g(), c.hint() + "/length", c.input(0))), element(c, 0))));
    t.add("SequenceLength", 11, c -> c.bind(0, c.cast(TensorLists.length(c.g(), c.hint(), c.input(0)), I64)));
    t.add("ConcatFromSequence", 11, SequenceExport::concat);
    t.add("SplitToSequence", 11, SequenceSplit::split);
  }

  /** The TensorFlow dtype of the elements of sequence input {@code i}, from type inference. */
  static DataType element(ExportContext c, int i) throws OpExportException {
    Type t = c.conversion().type(c.node().inputs().get(i)).orElse(null);
    if (t instanceof Type.SequenceType s && s.elementType().orElse(null) instanceof Type.TensorType e) {
      return ExportContext.dtype(e.elementType());
    }
    throw new OpExportException("the element type of sequence '" + c.node().inputs().get(i) + "' is not known");
  }

  private static void construct(ExportContext c) throws OpExportException {
    TfRef list = TensorLists.empty(c.g(), c.hint() + "/empty", c.input(0).dtype());
    for (int i = 0; i < c.inputCount(); i++) {
      list = TensorLists.pushBack(c.g(), c.hint() + "/push", list, c.input(i));
    }
    c.bind(0, list);
  }

  /** {@code pos} (int32 or int64, one element) as an int32 index; negative counts from {@code length}. */
  static TfRef position(ExportContext c, TfRef pos, TfRef length) {
    TfGraph g = c.g();
    TfRef p = Subgraphs.scalar(g, c.hint() + "/pos", Subgraphs.cast(g, c.hint() + "/pos", pos, I32));
    TfRef negative = g.op("Less", c.hint() + "/negative").input(p).input(g.scalar(c.hint() + "/zero", I32, 0))
        .attr("T", I32).output(DataType.DT_BOOL);
    TfRef fromEnd = g.op("AddV2", c.hint() + "/from_end").input(p).input(length).attr("T", I32).output(I32);
    return g.op("SelectV2", c.hint() + "/index").input(negative).input(fromEnd).input(p).attr("T", I32).output(I32);
  }

  /** {@code k + (k >= p)}: the index of element {@code k} once a gap is made (or closed) at {@code p}. */
  private static TfRef skip(TfGraph g, TfRef k, TfRef p) {
    TfRef after = g.op("GreaterEqual", "after").input(k).input(p).attr("T", I32).output(DataType.DT_BOOL);
    TfRef one = g.op("Cast", "after_int").input(after).attr("SrcT", DataType.DT_BOOL).attr("DstT", I32).output(I32);
    return g.op("AddV2", "shifted").input(k).input(one).attr("T", I32).output(I32);
  }

  private static TfRef plus(TfGraph g, String hint, TfRef x, int delta) {
    return g.op("AddV2", hint).input(x).input(g.scalar(hint + "/delta", I32, delta)).attr("T", I32).output(I32);
  }

  private static void insert(ExportContext c) throws OpExportException {
    TfRef seq = c.input(0);
    TfRef item = c.input(1);
    if (!c.hasInput(2)) {
      c.bind(0, TensorLists.pushBack(c.g(), c.hint(), seq, item));
      return;
    }
    TfGraph g = c.g();
    TfRef length = TensorLists.length(g, c.hint() + "/length", seq);
    TfRef p = position(c, c.input(2), length);
    TfRef dst = TensorLists.reserve(g, c.hint() + "/reserve", plus(g, c.hint() + "/grown", length, 1), item.dtype());
    DataType e = item.dtype();
    List<TfRef> out = WhileLoop.range(g, c.hint() + "/shift", g.scalar(c.hint() + "/start", I32, 0), length,
        List.of(dst, seq, p), (bg, k, v) -> List.of(
            TensorLists.setItem(bg, "set", v.get(0), skip(bg, k, v.get(2)), TensorLists.getItem(bg, "get", v.get(1), k, e)),
            v.get(1), v.get(2)));
    c.bind(0, TensorLists.setItem(g, c.hint(), out.get(0), p, item));
  }

  private static void erase(ExportContext c) throws OpExportException {
    TfRef seq = c.input(0);
    DataType e = element(c, 0);
    if (!c.hasInput(1)) {
      c.bind(0, TensorLists.popBack(c.g(), c.hint(), seq, e));
      return;
    }
    TfGraph g = c.g();
    TfRef length = TensorLists.length(g, c.hint() + "/length", seq);
    TfRef p = position(c, c.input(1), length);
    TfRef shorter = plus(g, c.hint() + "/shorter", length, -1);
    TfRef dst = TensorLists.reserve(g, c.hint() + "/reserve", shorter, e);
    List<TfRef> out = WhileLoop.range(g, c.hint(), g.scalar(c.hint() + "/start", I32, 0), shorter,
        List.of(dst, seq, p), (bg, k, v) -> List.of(
            TensorLists.setItem(bg, "set", v.get(0), k, TensorLists.getItem(bg, "get", v.get(1), skip(bg, k, v.get(2)), e)),
            v.get(1), v.get(2)));
    c.bind(0, out.get(0));
  }

  /** Axis 0 maps onto TensorListConcatV2 or TensorListStack; other axes concatenate in a loop. */
  private static void concat(ExportContext c) throws OpExportException {
    TfGraph g = c.g();
    TfRef seq = c.input(0);
    DataType e = element(c, 0);
    long axis = c.attrInt("axis", 0);
    boolean newAxis = c.attrInt("new_axis", 0) != 0;
    if (axis == 0) {
      c.bind(0, newAxis ? TensorLists.stack(g, c.hint(), seq, e, null) : TensorLists.concat(g, c.hint(), seq, e));
      return;
    }
    TfRef first = prepare(g, c.hint() + "/first", TensorLists.getItem(g, c.hint() + "/get", seq,
        g.scalar(c.hint() + "/start", I32, 0), e), axis, newAxis);
    List<TfRef> out = WhileLoop.range(g, c.hint(), g.scalar(c.hint() + "/second", I32, 1),
        TensorLists.length(g, c.hint() + "/length", seq), List.of(first, seq), (bg, k, v) -> {
          TfRef item = prepare(bg, "item", TensorLists.getItem(bg, "get", v.get(1), k, e), axis, newAxis);
          TfRef acc = bg.op("ConcatV2", "concat").input(v.get(0)).input(item).input(bg.scalar("axis", I32, axis))
              .attr("N", 2L).attr("T", e).attr("Tidx", I32).output(e);
          return List.of(acc, v.get(1));
        });
    c.bind(0, out.get(0));
  }

  /** With new_axis, ONNX's axis counts in the output's rank, as ExpandDims' does. */
  private static TfRef prepare(TfGraph g, String hint, TfRef x, long axis, boolean newAxis) {
    if (!newAxis) {
      return x;
    }
    return g.op("ExpandDims", hint).input(x).input(g.scalar(hint + "/axis", I32, axis)).attr("T", x.dtype())
        .attr("Tdim", I32).output(x.dtype());
  }
}
