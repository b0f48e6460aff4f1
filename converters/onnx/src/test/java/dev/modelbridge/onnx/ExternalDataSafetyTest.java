package dev.modelbridge.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.ModelException;
import dev.modelbridge.UnsafePathException;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.schemas.onnx.GraphProto;
import dev.modelbridge.schemas.onnx.ModelProto;
import dev.modelbridge.schemas.onnx.OperatorSetIdProto;
import dev.modelbridge.schemas.onnx.StringStringEntryProto;
import dev.modelbridge.schemas.onnx.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file must not make the reader touch anything outside its folder (compare CVE-2022-25882
 * and CVE-2024-27318). Each test writes a model whose one initializer points somewhere hostile and
 * checks the refusal, and that the target outside the folder was not opened.
 */
class ExternalDataSafetyTest {
  @TempDir Path root;
  Path modelDir;
  Path outside;

  @BeforeEach
  void layout() throws Exception {
    modelDir = Files.createDirectories(root.resolve("models"));
    outside = root.resolve("secret.bin");
    Files.write(outside, new byte[64]);
    // An access time far in the past shows later whether the file was read.
    Files.setAttribute(outside, "lastAccessTime", FileTime.fromMillis(0));
    Files.write(modelDir.resolve("weights.bin"), new byte[64]);
  }

  @Test
  void parentDirectoryTraversalIsRefused() throws Exception {
    assertRefused(Map.of("location", "../secret.bin"), "'..'");
  }

  @Test
  void backslashTraversalIsRefused() throws Exception {
    assertRefused(Map.of("location", "..\\secret.bin"), "'..'");
  }

  @Test
  void absolutePathIsRefused() throws Exception {
    assertRefused(Map.of("location", outside.toString()), "absolute");
  }

  @Test
  void symbolicLinkOutOfTheFolderIsRefused() throws Exception {
    Files.createSymbolicLink(modelDir.resolve("link.bin"), outside);
    assertRefused(Map.of("location", "link.bin"), "symbolic link");
  }

  @Test
  void linkedFolderOutOfTheFolderIsRefused() throws Exception {
    Files.createSymbolicLink(modelDir.resolve("sub"), root);
    assertRefused(Map.of("location", "sub/secret.bin"), "symbolic link");
  }

  @Test
  void hardLinkedDataFileIsRefusedUnlessAllowed() throws Exception {
    Files.createLink(modelDir.resolve("linked.bin"), outside);
    assertRefused(Map.of("location", "linked.bin"), "hard links");
    Path model = writeModel(entries("linked.bin", "0", "64"));
    var read = new OnnxReader(ReadOptions.defaults().with("allowHardLinks", "true")).read(model);
    assertEquals(64, read.graph().initializers().get(0).data().byteSize());
  }

  @Test
  void offsetPastTheEndIsRefused() throws Exception {
    assertRefused(entries("weights.bin", "100", null), "past the end");
  }

  @Test
  void lengthPastTheEndIsRefused() throws Exception {
    assertRefused(entries("weights.bin", "32", "64"), "past the end");
  }

  @Test
  void aLinkThatStaysInsideIsAccepted() throws Exception {
    Files.createSymbolicLink(modelDir.resolve("alias.bin"), modelDir.resolve("weights.bin"));
    Path model = writeModel(entries("alias.bin", "0", "64"));
    var read = new OnnxReader(ReadOptions.defaults()).read(model);
    assertEquals(64, read.graph().initializers().get(0).data().byteSize());
  }

  private void assertRefused(Map<String, String> externalData, String reason) throws Exception {
    Path model = writeModel(externalData);
    ModelException e = assertThrows(ModelException.class,
        () -> new OnnxReader(ReadOptions.defaults()).read(model));
    assertTrue(e instanceof UnsafePathException, "expected an unsafe-path error, got " + e);
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().contains("initializer 'w'"), "names the tensor: " + e.getMessage());
    assertTrue(e.getMessage().startsWith(model.toString()), "names the file: " + e.getMessage());
    assertEquals(0, Files.getLastModifiedTime(outside).toMillis() * 0
        + ((FileTime) Files.getAttribute(outside, "lastAccessTime")).toMillis(), "file outside was read");
  }

  private static Map<String, String> entries(String location, String offset, String length) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("location", location);
    if (offset != null) {
      m.put("offset", offset);
    }
    if (length != null) {
      m.put("length", length);
    }
    return m;
  }

  private Path writeModel(Map<String, String> externalData) throws Exception {
    TensorProto.Builder w = TensorProto.newBuilder().setName("w").setDataType(1).addDims(16)
        .setDataLocation(TensorProto.DataLocation.EXTERNAL);
    externalData.forEach((k, v) -> w.addExternalData(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    ModelProto m = ModelProto.newBuilder()
        .setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
        .setGraph(GraphProto.newBuilder().setName("g").addInitializer(w))
        .build();
    Path file = modelDir.resolve("model.onnx");
    Files.write(file, m.toByteArray());
    return file;
  }
}
