package dev.modelbridge.validate.rules.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming a file region through windows counts each element once and keeps element indexes. */
class FloatScanTest {

  @Test
  void fileRegionIsScannedWindowByWindow(@TempDir Path dir) throws Exception {
    int count = 1000;
    ByteBuffer b = ByteBuffer.allocate(16 + count * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.position(16); // the region starts at an offset, as external data does
    for (int i = 0; i < count; i++) {
      b.putFloat(i == 333 || i == 998 ? Float.NaN : i == 500 ? Float.POSITIVE_INFINITY : i);
    }
    Path file = Files.write(dir.resolve("w.bin"), b.array());
    TensorData region = new TensorData.FileRegion(file, 16, count * 4L, Optional.empty());
    FloatScan.Result windowed = FloatScan.scan(ElementType.FLOAT, region, 64);
    assertEquals(new FloatScan.Result(2, 1, 333), windowed);
    assertEquals(windowed, FloatScan.scan(ElementType.FLOAT, region));
  }
}
