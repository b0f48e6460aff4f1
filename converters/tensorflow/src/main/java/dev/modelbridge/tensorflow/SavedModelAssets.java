package dev.modelbridge.tensorflow;

import dev.modelbridge.ModelException;
import dev.modelbridge.UnsafePathException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.tensorflow.proto.AssetFileDef;
import org.tensorflow.proto.MetaGraphDef;

/**
 * Checks the asset file names a MetaGraph carries ({@code AssetFileDef.filename}, relative to the
 * SavedModel's {@code assets/} folder). They come from the file, so they are untrusted: absolute
 * names, {@code ..} segments and symbolic links whose real path leaves the SavedModel's folder are
 * refused before anything could open them (compare onnx CVE-2022-25882 for external data).
 */
final class SavedModelAssets {
  private SavedModelAssets() {}

  static void check(Path dir, MetaGraphDef meta) throws ModelException {
    for (AssetFileDef a : meta.getAssetFileDefList()) {
      check(dir, a.getFilename());
    }
  }

  static void check(Path dir, String name) throws ModelException {
    String unixy = name.replace('\\', '/');
    if (unixy.isEmpty() || unixy.indexOf('\0') >= 0) {
      throw new UnsafePathException("asset file name is empty or contains a NUL byte");
    }
    if (unixy.startsWith("/") || unixy.matches("^[A-Za-z]:.*") || unixy.startsWith("~")) {
      throw new UnsafePathException("asset file '" + name + "' is absolute; it must be relative to assets/");
    }
    for (String segment : unixy.split("/")) {
      if (segment.equals("..")) {
        throw new UnsafePathException("asset file '" + name + "' climbs out of the SavedModel's folder with '..'");
      }
    }
    Path assets = dir.toAbsolutePath().normalize().resolve("assets");
    Path file = assets.resolve(unixy).normalize();
    if (!file.startsWith(assets)) {
      throw new UnsafePathException("asset file '" + name + "' leads outside assets/");
    }
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return; // A missing asset is TensorFlow's concern at load time; nothing is read here.
    }
    try {
      Path realDir = dir.toRealPath();
      if (!file.toRealPath().startsWith(realDir)) {
        throw new UnsafePathException("asset file '" + name + "' is a symbolic link that leads outside the SavedModel's folder");
      }
      if ((Integer) Files.getAttribute(file, "unix:nlink") > 1) {
        throw new UnsafePathException("asset file '" + name + "' has several hard links, so it may be a file"
            + " from outside the SavedModel's folder");
      }
    } catch (IOException e) {
      throw new UnsafePathException("asset file '" + name + "' cannot be resolved: " + e.getMessage());
    }
  }
}
