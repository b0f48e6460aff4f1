package dev.modelbridge.tensorflow.export;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.proto.DataType;

/**
 * ConstantOfShape as TensorFlow's {@code Fill}: the one-element {@code value} attribute (float 0
 * when absent) repeated over the shape given by the input. When the shape is a constant and the
 * result small, the result is also recorded as a constant, for later ops that need constant
 * shapes or axes.
 */
final class ConstantOfShapeExport implements ExportRegistry.Family {
  /** Results up to this many elements are kept as constants for shape-like inputs further on. */
  private static final long FOLD_ELEMENTS = 1024;

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("ConstantOfShape", 9, ConstantOfShapeExport::constantOfShape);
  }

  private static void constantOfShape(ExportContext c) throws OpExportException {
    Tensor value = c.attrTensor("value").orElse(Tensor.ofFloats("", new long[] {1}, 0f));
    if (value.elementCount() != 1) {
      throw new OpExportException("value must hold one element, not " + value.elementCount());
    }
    DataType dtype = ExportContext.dtype(value.elementType());
    TfRef scalar = c.g().constant(c.hint() + "/value", dtype, new long[0], value.data().bytes());
    TfRef dims = c.cast(c.input(0), DataType.DT_INT64);
    TfRef y = c.g().op("Fill", c.hint()).input(dims).input(scalar).attr("T", dtype)
        .attr("index_type", DataType.DT_INT64).output(dtype);
    c.bind(0, y);
    c.constantInts(0).ifPresent(shape -> fold(c, shape, value));
  }

  private static void fold(ExportContext c, long[] shape, Tensor value) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    ElementType e = value.elementType();
    if (n > FOLD_ELEMENTS || !e.isFixedWidth() || e.isSubByte()) {
      return;
    }
    int width = e.bits() / 8;
    ByteBuffer one = value.data().bytes();
    ByteBuffer all = ByteBuffer.allocate((int) n * width).order(ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < n; i++) {
      all.put(one.duplicate());
    }
    c.bindConstant(0, Tensor.of("", value.elementType(), shape, all.flip()));
  }
}
