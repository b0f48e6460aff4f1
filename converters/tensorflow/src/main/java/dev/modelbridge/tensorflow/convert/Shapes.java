package dev.modelbridge.tensorflow.convert;

import dev.modelbridge.tensorflow.graph.TfNode;
import java.util.Optional;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.TensorShapeProto;

/** What a TensorFlow graph records about the shapes of node outputs. */
public final class Shapes {
  private Shapes() {}

  /** The shape of output {@code k} when recorded ({@code _output_shapes}, a Placeholder's or Const's shape). */
  public static Optional<TensorShapeProto> shape(TfNode n, int k) {
    AttrValue shapes = n.attrs().get("_output_shapes");
    if (shapes != null && k < shapes.getList().getShapeCount()) {
      return Optional.of(shapes.getList().getShape(k));
    }
    if (k == 0 && n.op().equals("Placeholder") && n.attrs().containsKey("shape")) {
      return Optional.of(n.attrs().get("shape").getShape());
    }
    if (k == 0 && n.op().equals("Const") && n.attrs().containsKey("value")) {
      return Optional.of(n.attrs().get("value").getTensor().getTensorShape());
    }
    return Optional.empty();
  }

  /** The rank of output {@code k}, or -1 when unknown. */
  public static int rank(TfNode n, int k) {
    return shape(n, k).filter(s -> !s.getUnknownRank()).map(TensorShapeProto::getDimCount).orElse(-1);
  }
}
