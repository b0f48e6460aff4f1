package dev.modelbridge.onnx;

import dev.modelbridge.ModelException;
import dev.modelbridge.ModelIOException;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which tensors a write stores in the side file, where each goes, and copies their bytes
 * there channel to channel, so weights never pass through the heap.
 *
 * <p>A protobuf message cannot pass 2 GiB; when the tensors kept inline would come near that, every
 * tensor from the size threshold up goes to the side file even if external data was not asked for.
 */
final class ExternalDataPlan {
  /** Inline tensor bytes above which a model is written with external data regardless of options. */
  static final long AUTO_EXTERNAL_LIMIT = (1L << 31) - (256L << 20);

  private static final long PAGE = 4096;
  private static final long LARGE = 64 * 1024;

  /** Where one tensor's bytes go in the side file. */
  record Slot(long offset, long length) {}

  private final String fileName;
  private final Map<Tensor, Slot> slots = new IdentityHashMap<>();
  private final List<Tensor> order = new ArrayList<>();

  private ExternalDataPlan(String fileName) {
    this.fileName = fileName;
  }

  static ExternalDataPlan create(Model model, WriteOptions options, String fileName) {
    // Only initializers go to the side file: ONNX Runtime cannot read external data in attribute
    // tensors (Constant values in function bodies, ai.onnx.ml attributes), and weights live in
    // initializers. Attribute tensors still count towards the 2 GiB a protobuf can hold.
    List<Tensor> all = new ArrayList<>();
    long[] attributeBytes = new long[1];
    collect(model.graph(), all, attributeBytes);
    model.trainingInfo().forEach(t -> {
      t.initialization().ifPresent(g -> collect(g, all, attributeBytes));
      t.algorithm().ifPresent(g -> collect(g, all, attributeBytes));
    });
    model.functions().forEach(f -> f.nodes().forEach(n -> collect(n, all, attributeBytes)));
    long inline = attributeBytes[0];
    for (Tensor t : all) {
      inline += t.data().byteSize();
    }
    boolean external = options.externalData() || inline > AUTO_EXTERNAL_LIMIT;
    long threshold = options.externalData() ? options.externalDataThreshold()
        : Math.min(options.externalDataThreshold(), WriteOptions.DEFAULT_THRESHOLD);
    ExternalDataPlan plan = new ExternalDataPlan(fileName);
    if (!external) {
      return plan;
    }
    long offset = 0;
    for (Tensor t : all) {
      long length = t.data().byteSize();
      if (!t.elementType().isFixedWidth() || length == 0 || length < threshold || isShapeLike(t)
          || plan.slots.containsKey(t)) {
        continue;
      }
      long align = length >= LARGE ? PAGE : 64;
      offset = (offset + align - 1) / align * align;
      plan.slots.put(t, new Slot(offset, length));
      plan.order.add(t);
      offset += length;
    }
    return plan;
  }

  /**
   * Small 1-D integer tensors are usually shapes, axes or pads, which ONNX Runtime reads during
   * shape inference at load time, where it cannot follow external data. They stay inline whatever
   * the threshold.
   */
  static boolean isShapeLike(Tensor t) {
    ElementType e = t.elementType();
    return (e == ElementType.INT64 || e == ElementType.INT32) && t.rank() <= 1 && t.elementCount() <= 64;
  }

  private static void collect(Graph g, List<Tensor> out, long[] attributeBytes) {
    out.addAll(g.initializers());
    for (Node n : g.nodes()) {
      collect(n, out, attributeBytes);
    }
  }

  private static void collect(Node n, List<Tensor> out, long[] attributeBytes) {
    for (Attribute a : n.attributes()) {
      if (a instanceof Attribute.TensorAttr t) {
        attributeBytes[0] += t.value().data().byteSize();
      } else if (a instanceof Attribute.TensorsAttr ts) {
        ts.values().forEach(t -> attributeBytes[0] += t.data().byteSize());
      } else if (a instanceof Attribute.GraphAttr g) {
        collect(g.value(), out, attributeBytes);
      } else if (a instanceof Attribute.GraphsAttr gs) {
        gs.values().forEach(g -> collect(g, out, attributeBytes));
      }
    }
  }

  boolean isEmpty() {
    return order.isEmpty();
  }

  String fileName() {
    return fileName;
  }

  Slot slot(Tensor t) {
    return slots.get(t);
  }

  /** Writes every planned tensor at its offset. */
  void writeTo(FileChannel out) throws ModelException {
    for (Tensor t : order) {
      Slot s = slots.get(t);
      try {
        copy(t.data(), out, s.offset());
      } catch (IOException | RuntimeException e) {
        throw new ModelIOException("cannot write external data for tensor '" + t.name()
            + "': " + e.getMessage()).within("tensor '" + t.name() + "'");
      }
    }
  }

  private static void copy(TensorData data, FileChannel out, long at) throws IOException {
    if (data instanceof TensorData.FileRegion region) {
      // Kernel-side copy: the bytes go from page cache to page cache.
      try (FileChannel in = FileChannel.open(region.file(), StandardOpenOption.READ)) {
        long done = 0;
        while (done < region.length()) {
          long n = in.transferTo(region.offset() + done, region.length() - done, out.position(at + done));
          if (n <= 0) {
            throw new IOException("source ended early: " + region.file());
          }
          done += n;
        }
      }
      return;
    }
    ByteBuffer b = data.bytes();
    long pos = at;
    while (b.hasRemaining()) {
      pos += out.write(b, pos);
    }
  }
}
