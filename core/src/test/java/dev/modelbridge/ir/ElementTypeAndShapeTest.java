package dev.modelbridge.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ElementTypeAndShapeTest {
  @Test
  void packedFourBitTypesRoundUpToWholeBytes() {
    for (ElementType t : List.of(ElementType.INT4, ElementType.UINT4, ElementType.FLOAT4E2M1)) {
      assertTrue(t.isSubByte(), t.label());
      assertEquals(0, t.byteSize(0));
      assertEquals(1, t.byteSize(1));
      assertEquals(1, t.byteSize(2));
      assertEquals(2, t.byteSize(3));
      assertEquals(5, t.byteSize(9));
    }
  }

  @Test
  void packedTwoBitTypesHoldFourToAByte() {
    for (ElementType t : List.of(ElementType.INT2, ElementType.UINT2)) {
      assertTrue(t.isSubByte(), t.label());
      assertEquals(1, t.byteSize(1));
      assertEquals(1, t.byteSize(4));
      assertEquals(2, t.byteSize(5));
      assertEquals(3, t.byteSize(9));
    }
  }

  @Test
  void wholeByteTypesAndTypesWithoutWidth() {
    assertEquals(12, ElementType.FLOAT.byteSize(3));
    assertEquals(3, ElementType.FLOAT8E4M3FN.byteSize(3));
    assertEquals(48, ElementType.COMPLEX128.byteSize(3));
    assertFalse(ElementType.UINT8.isSubByte());
    assertThrows(IllegalStateException.class, () -> ElementType.STRING.byteSize(1));
    assertThrows(ArithmeticException.class, () -> ElementType.INT64.byteSize(Long.MAX_VALUE / 8));
  }

  @Test
  void elementCountOnlyWhenEveryDimIsFixed() {
    assertEquals(OptionalLong.of(24), Shape.of(2, 3, 4).elementCount());
    assertEquals(OptionalLong.of(1), Shape.of().elementCount()); // a scalar
    assertEquals(OptionalLong.of(0), Shape.of(3, 0).elementCount());
    assertEquals(OptionalLong.empty(), Shape.ofMixed("batch", 4).elementCount());
    assertEquals(OptionalLong.empty(), Shape.ofMixed(4, null).elementCount());
    assertThrows(ArithmeticException.class, () -> Shape.of(Long.MAX_VALUE, 2).elementCount());
  }
}
