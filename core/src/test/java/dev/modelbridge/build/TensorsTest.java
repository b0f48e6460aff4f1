package dev.modelbridge.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TensorsTest {
  @Test
  void randomFloatsAreDeterministicAndInRange() {
    Tensor a = Tensors.randomFloats("w", 42, 16, 8);
    Tensor b = Tensors.randomFloats("w", 42, 16, 8);
    Tensor c = Tensors.randomFloats("w", 43, 16, 8);
    assertEquals("w", a.name());
    assertArrayEquals(new long[] {16, 8}, a.dims());
    assertEquals(ElementType.FLOAT, a.elementType());
    float[] va = Tensors.toFloatArray(a);
    assertEquals(128, va.length);
    assertArrayEquals(va, Tensors.toFloatArray(b));
    assertFalse(Arrays.equals(va, Tensors.toFloatArray(c)));
    boolean negative = false;
    boolean positive = false;
    for (float v : va) {
      assertTrue(v >= -1f && v < 1f, "value " + v);
      negative |= v < 0;
      positive |= v > 0;
    }
    assertTrue(negative && positive);
  }

  @Test
  void randomFloatsAreStableAcrossReleases() {
    // Pinned values: a change here changes every test that uses random weights.
    float[] v = Tensors.toFloatArray(Tensors.randomFloats("w", 7, 2));
    assertArrayEquals(new float[] {-0.22034055f, -0.96642345f}, v);
  }

  @Test
  void zerosHaveTheByteSizeOfTheirType() {
    assertEquals(24, Tensors.zeros("z", ElementType.FLOAT, 2, 3).data().byteSize());
    assertEquals(5, Tensors.zeros("z", ElementType.INT4, 3, 3).data().byteSize());
    assertEquals(0, Tensors.zeros("z", ElementType.INT64, 0).data().byteSize());
    assertEquals(4, Tensors.zeros("s", ElementType.FLOAT).data().byteSize());
    assertArrayEquals(new float[6], Tensors.toFloatArray(Tensors.zeros("z", ElementType.FLOAT, 2, 3)));
    assertThrows(IllegalArgumentException.class, () -> Tensors.zeros("z", ElementType.STRING, 2));
    assertThrows(IllegalArgumentException.class, () -> Tensors.zeros("z", ElementType.FLOAT8E8M0, 2));
    assertThrows(IllegalArgumentException.class, () -> Tensors.zeros("z", ElementType.FLOAT, -1));
  }
}
