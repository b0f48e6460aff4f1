package dev.modelbridge.onnx;

import com.google.protobuf.CodedOutputStream;
import dev.modelbridge.ModelException;
import dev.modelbridge.ModelIOException;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.schemas.onnx.ModelProto;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;

/**
 * Writes the IR as an ONNX file, with large tensors in one side file named after the model
 * ({@code model.onnx.data}) when external data is asked for or the model would pass 2 GiB.
 */
public final class OnnxWriter {
  private final WriteOptions options;

  public OnnxWriter(WriteOptions options) {
    this.options = options;
  }

  public void write(Model model, StagedOutput out) throws ModelException {
    WriteChecks.check(model);
    ExternalDataPlan plan = ExternalDataPlan.create(model, options, out.targetName() + ".data");
    if (!plan.isEmpty()) {
      try (FileChannel ch = out.openSibling(plan.fileName())) {
        plan.writeTo(ch);
        ch.force(false);
      } catch (IOException e) {
        throw new ModelIOException("cannot write " + plan.fileName(), e);
      }
    }
    ModelProto proto;
    try {
      proto = new ProtoEncoder(plan).model(model);
    } catch (UncheckedIOException e) {
      throw new ModelIOException("cannot read tensor data", e.getCause());
    }
    try (FileChannel ch = out.openMain()) {
      OutputStream os = Channels.newOutputStream(ch);
      CodedOutputStream coded = CodedOutputStream.newInstance(os, 1 << 16);
      proto.writeTo(coded);
      coded.flush();
      ch.force(false);
    } catch (IOException e) {
      throw new ModelIOException("cannot write " + out.target(), e);
    }
  }
}
