package dev.modelbridge.tensorflow.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A permuted value is stored as the permuted tensor: checked element by element, by index
 * arithmetic written here, against what our reader reads back (checksums verified).
 */
class PermutedBundleValueTest {

  @Test
  void kernelsAreStoredPermutedAcrossChunkBoundaries(@TempDir Path dir) throws Exception {
    // OIHW [O, I, H, W] to HWIO; the float one spans several gather chunks.
    long[] big = {96, 80, 3, 40};
    Tensor floats = Tensor.ofFloats("w", big, ramp((int) (96 * 80 * 3 * 40)));
    long[] small = {6, 1, 3, 3};
    Tensor doubles = doubles("d", small);
    Map<String, BundleValue> values = new LinkedHashMap<>();
    values.put("w", new BundleValue.Permuted(floats, new int[] {2, 3, 1, 0}, new long[] {3, 40, 80, 96}));
    // Depthwise: [C*m, 1, kh, kw] stored as HWIO and declared [kh, kw, C, m].
    values.put("d", new BundleValue.Permuted(doubles, new int[] {2, 3, 1, 0}, new long[] {3, 3, 3, 2}));
    values.put("plain", new BundleValue.Whole(Tensor.ofFloats("plain", new long[] {2}, 1f, 2f)));
    assertTrue(floats.data().byteSize() > 3L * BundleValue.Permuted.CHUNK_BYTES);
    Path prefix = Files.createDirectories(dir.resolve("variables")).resolve("variables");
    TensorBundleWriter.writeValues(prefix, values);

    TensorBundle back = TensorBundle.open(prefix.getParent());
    back.verifyAll();
    Tensor w = back.tensor("w", "w");
    assertArrayEquals(new long[] {3, 40, 80, 96}, w.dims());
    ByteBuffer src = floats.data().bytes();
    ByteBuffer got = w.data().bytes();
    for (int h = 0; h < 3; h++) {
      for (int x = 0; x < 40; x++) {
        for (int i = 0; i < 80; i++) {
          for (int o = 0; o < 96; o++) {
            float want = src.getFloat(4 * (((o * 80 + i) * 3 + h) * 40 + x));
            assertEquals(want, got.getFloat(4 * (((h * 40 + x) * 80 + i) * 96 + o)));
          }
        }
      }
    }
    Tensor d = back.tensor("d", "d");
    assertArrayEquals(new long[] {3, 3, 3, 2}, d.dims());
    ByteBuffer ds = doubles.data().bytes();
    ByteBuffer dg = d.data().bytes();
    for (int h = 0; h < 3; h++) {
      for (int x = 0; x < 3; x++) {
        for (int o = 0; o < 6; o++) {
          assertEquals(ds.getDouble(8 * ((o * 3 + h) * 3 + x)), dg.getDouble(8 * ((h * 3 + x) * 6 + o)));
        }
      }
    }
    assertEquals(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(2f).flip(),
        back.tensor("plain", "plain").data().bytes());
  }

  @Test
  void refusesWhatIsNotAPermutation() {
    Tensor t = Tensor.ofFloats("t", new long[] {2, 3}, ramp(6));
    assertThrows(IllegalArgumentException.class, () -> new BundleValue.Permuted(t, new int[] {0, 0}, new long[] {2, 3}));
    assertThrows(IllegalArgumentException.class, () -> new BundleValue.Permuted(t, new int[] {1, 0}, new long[] {4, 2}));
  }

  private static float[] ramp(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i * 0.5f - 7f;
    }
    return v;
  }

  private static Tensor doubles(String name, long[] dims) {
    int n = (int) java.util.Arrays.stream(dims).reduce(1, (a, b) -> a * b);
    ByteBuffer b = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      b.putDouble(i * 1.25 - 3);
    }
    return Tensor.of(name, ElementType.DOUBLE, dims, b.flip());
  }
}
