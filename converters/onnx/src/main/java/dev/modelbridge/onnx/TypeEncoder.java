package dev.modelbridge.onnx;

import dev.modelbridge.ir.Dim;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Type;
import dev.modelbridge.schemas.onnx.TensorShapeProto;
import dev.modelbridge.schemas.onnx.TypeProto;

/** Maps IR types to {@code TypeProto}. */
final class TypeEncoder {
  private TypeEncoder() {}

  static TypeProto type(Type t) {
    TypeProto.Builder b = TypeProto.newBuilder();
    if (t instanceof Type.TensorType tt) {
      TypeProto.Tensor.Builder x = TypeProto.Tensor.newBuilder();
      elem(tt.elementType(), x::setElemType);
      tt.shape().ifPresent(s -> x.setShape(shape(s)));
      b.setTensorType(x);
    } else if (t instanceof Type.SparseTensorType st) {
      TypeProto.SparseTensor.Builder x = TypeProto.SparseTensor.newBuilder();
      elem(st.elementType(), x::setElemType);
      st.shape().ifPresent(s -> x.setShape(shape(s)));
      b.setSparseTensorType(x);
    } else if (t instanceof Type.SequenceType s) {
      TypeProto.Sequence.Builder x = TypeProto.Sequence.newBuilder();
      s.elementType().ifPresent(e -> x.setElemType(type(e)));
      b.setSequenceType(x);
    } else if (t instanceof Type.MapType m) {
      TypeProto.Map.Builder x = TypeProto.Map.newBuilder();
      elem(m.keyType(), x::setKeyType);
      m.valueType().ifPresent(v -> x.setValueType(type(v)));
      b.setMapType(x);
    } else if (t instanceof Type.OptionalType o) {
      TypeProto.Optional.Builder x = TypeProto.Optional.newBuilder();
      o.elementType().ifPresent(e -> x.setElemType(type(e)));
      b.setOptionalType(x);
    } else if (t instanceof Type.OpaqueType o) {
      TypeProto.Opaque.Builder x = TypeProto.Opaque.newBuilder();
      ProtoEncoder.str(o.domain(), x::setDomain);
      ProtoEncoder.str(o.name(), x::setName);
      b.setOpaqueType(x);
    }
    ProtoEncoder.str(t.denotation(), b::setDenotation);
    return b.build();
  }

  private static void elem(ElementType e, java.util.function.IntConsumer setter) {
    if (e != ElementType.UNDEFINED) {
      setter.accept(e.code());
    }
  }

  private static TensorShapeProto shape(Shape s) {
    TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
    for (Dim d : s.dims()) {
      TensorShapeProto.Dimension.Builder x = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof Dim.Fixed f) {
        x.setDimValue(f.size());
      } else if (d instanceof Dim.Symbolic sym) {
        x.setDimParam(sym.name());
      }
      ProtoEncoder.str(d.denotation(), x::setDenotation);
      b.addDim(x);
    }
    return b.build();
  }
}
