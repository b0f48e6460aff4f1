package dev.modelbridge.tensorflow.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelbridge.ir.Bytes;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the writer writes, the reader reads back bit for bit, checksums included. */
class TensorBundleWriterTest {

  @Test
  void writtenBundlesReadBackBitForBit(@TempDir Path dir) throws Exception {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    SplittableRandom r = new SplittableRandom(3);
    // Enough entries for several data blocks and restart points.
    for (int i = 0; i < 300; i++) {
      float[] v = new float[1 + r.nextInt(40)];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) r.nextDouble();
      }
      String key = "layer_" + (i % 7) + "/kernel_" + i + "/.ATTRIBUTES/VARIABLE_VALUE";
      tensors.put(key, Tensor.ofFloats(key, new long[] {v.length}, v));
    }
    tensors.put("step", Tensor.ofInt64s("step", new long[0], 42));
    tensors.put("vocab", Tensor.ofStrings("vocab", new long[] {3},
        List.of(Bytes.utf8("a"), Bytes.utf8(""), Bytes.utf8("ünïcödé"))));
    Path prefix = Files.createDirectories(dir.resolve("variables")).resolve("variables");
    TensorBundleWriter.write(prefix, tensors);

    TensorBundle back = TensorBundle.open(prefix.getParent());
    back.verifyAll();
    assertEquals(tensors.keySet().stream().sorted().toList(), back.keys());
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor read = back.tensor(e.getKey(), e.getKey());
      assertEquals(e.getValue().elementType(), read.elementType());
      assertEquals(List.of(toList(e.getValue().dims())), List.of(toList(read.dims())));
      if (read.elementType() == ElementType.STRING) {
        assertEquals(((TensorData.StringList) e.getValue().data()).strings(), ((TensorData.StringList) read.data()).strings());
      } else {
        assertEquals(e.getValue().data().bytes(), read.data().bytes());
      }
    }
  }

  private static List<Long> toList(long[] a) {
    return java.util.Arrays.stream(a).boxed().toList();
  }

}
