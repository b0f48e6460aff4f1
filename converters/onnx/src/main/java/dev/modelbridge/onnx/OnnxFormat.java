package dev.modelbridge.onnx;

import dev.modelbridge.ModelException;
import dev.modelbridge.format.ModelFormat;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.Model;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The ONNX format: {@code .onnx} protobuf files, with external data. Registered as a service. */
public final class OnnxFormat implements ModelFormat {

  @Override
  public String id() {
    return "onnx";
  }

  @Override
  public List<String> aliases() {
    return List.of("onnx-protobuf");
  }

  @Override
  public boolean detect(Path path) {
    if (!Files.isRegularFile(path)) {
      return false;
    }
    if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
      return true;
    }
    // A ModelProto almost always starts with ir_version: field 1, varint (tag byte 0x08).
    try (InputStream in = Files.newInputStream(path)) {
      return in.read() == 0x08;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public boolean detectInFolder(Path path) {
    return Files.isRegularFile(path)
        && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
  }

  @Override
  public boolean canRead() {
    return true;
  }

  @Override
  public boolean canWrite() {
    return true;
  }

  @Override
  public Model read(Path path, ReadOptions options) throws ModelException {
    return new OnnxReader(options).read(path);
  }

  @Override
  public void write(Model model, StagedOutput output, WriteOptions options) throws ModelException {
    new OnnxWriter(options).write(model, output);
  }

  @Override
  public String outputName(String baseName) {
    return baseName + ".onnx";
  }
}
