package dev.modelbridge.tensorflow;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.UnsafePathException;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.tensorflow.bundle.TensorBundle;
import dev.modelbridge.tensorflow.bundle.TensorBundleWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AssetFileDef;
import org.tensorflow.proto.MetaGraphDef;

/**
 * Paths that come from a SavedModel never lead out of its folder: asset names are checked, and
 * checkpoint shard names are derived from the prefix, never from the index's contents.
 */
class PathSafetyTest {
  @TempDir Path root;

  @Test
  void shardNamesComeFromThePrefixWhateverTheKeysSay() throws Exception {
    Path vars = Files.createDirectories(root.resolve("sm/variables"));
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (String key : new String[] {"../../../etc/passwd", "/etc/shadow", "..\\..\\x", "a/../../b"}) {
      tensors.put(key, Tensor.of(key, ElementType.FLOAT, new long[] {2},
          ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(2f).flip()));
    }
    TensorBundleWriter.write(vars.resolve("variables"), tensors);
    TensorBundle bundle = TensorBundle.open(vars);
    assertEquals(java.util.List.of(vars.resolve("variables.data-00000-of-00001")), bundle.shardFiles());
    for (String key : tensors.keySet()) {
      assertEquals(8, bundle.tensor(key, "t").data().byteSize(), key);
    }
    try (var files = Files.list(root)) {
      assertEquals(java.util.List.of(root.resolve("sm")), files.toList(), "nothing written or named outside");
    }
  }

  private static final String SHARD = "variables.data-00000-of-00001";

  /** A one-tensor checkpoint under {@code sm/variables} whose shard was moved to {@code outside.bin}. */
  private Path bundleWithShardMovedOutside() throws Exception {
    Path vars = Files.createDirectories(root.resolve("sm/variables"));
    TensorBundleWriter.write(vars.resolve("variables"), Map.of("w", Tensor.of("w", ElementType.FLOAT, new long[] {1},
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(3f).flip())));
    Files.move(vars.resolve(SHARD), root.resolve("outside.bin"));
    return vars;
  }

  @Test
  void aShardLinkedOutsideTheFolderIsRefused() throws Exception {
    Path vars = bundleWithShardMovedOutside();
    Files.createSymbolicLink(vars.resolve(SHARD), root.resolve("outside.bin"));
    UnsafePathException e = assertThrows(UnsafePathException.class, () -> TensorBundle.open(vars));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
  }

  @Test
  void aHardLinkedShardIsRefused() throws Exception {
    Path vars = bundleWithShardMovedOutside();
    Files.createLink(vars.resolve(SHARD), root.resolve("outside.bin"));
    UnsafePathException e = assertThrows(UnsafePathException.class, () -> TensorBundle.open(vars));
    assertTrue(e.getMessage().contains("hard links"), e.getMessage());
  }

  @Test
  void assetNamesMustStayInTheAssetsFolder() throws Exception {
    Path dir = Files.createDirectories(root.resolve("sm/assets")).getParent();
    Files.writeString(dir.resolve("assets/vocab.txt"), "a\nb\n");
    Files.writeString(root.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(dir.resolve("assets/link.txt"), root.resolve("secret.txt"));
    assertDoesNotThrow(() -> SavedModelAssets.check(dir, meta("vocab.txt")));
    assertDoesNotThrow(() -> SavedModelAssets.check(dir, meta("not-there-yet.txt")));
    for (String hostile : new String[] {"../secret.txt", "../../etc/passwd", "/etc/passwd", "..\\secret.txt",
        "a/../../secret.txt", "C:\\Windows\\win.ini", "~/.ssh/id_rsa", "link.txt", "", "a\u0000b"}) {
      assertThrows(UnsafePathException.class, () -> SavedModelAssets.check(dir, meta(hostile)), hostile);
    }
  }

  private static MetaGraphDef meta(String asset) {
    return MetaGraphDef.newBuilder().addAssetFileDef(AssetFileDef.newBuilder().setFilename(asset)).build();
  }
}
