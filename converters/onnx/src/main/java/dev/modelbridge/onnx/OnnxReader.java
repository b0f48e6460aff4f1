package dev.modelbridge.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.modelbridge.InvalidModelException;
import dev.modelbridge.ModelException;
import dev.modelbridge.ModelIOException;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.schemas.onnx.ModelProto;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads an ONNX file into the IR. The file is memory-mapped read-only and parsed with aliasing, so
 * raw_data of inline tensors stays a view of the mapping; external data is resolved to file
 * regions, mapped only when a tensor is read.
 */
public final class OnnxReader {
  /** Default nesting depth of protobuf messages; a graph nested in an attribute costs about four levels. */
  static final int RECURSION_LIMIT = dev.modelbridge.format.Limits.DEFAULT_MESSAGE_DEPTH;

  private final ReadOptions options;

  public OnnxReader(ReadOptions options) {
    this.options = options;
  }

  public Model read(Path path) throws ModelException {
    Path file = path.toAbsolutePath().normalize();
    try {
      ModelProto proto = parse(file, options.limits().maxMessageDepth());
      if (!options.allowUnknownFields()) {
        UnknownFields.check(proto);
      }
      return new ProtoDecoder(new ExternalDataResolver(file.getParent(),
          options.option(ExternalDataResolver.ALLOW_HARD_LINKS).map(Boolean::parseBoolean).orElse(false)), options.limits()).model(proto);
    } catch (ModelException e) {
      throw e.inFile(path);
    } catch (StackOverflowError e) {
      throw new InvalidModelException("graphs are nested too deeply to read").inFile(path);
    }
  }

  /** Parses the file, keeping tensor bytes as views of the read-only mapping. */
  static ModelProto parse(Path file) throws ModelException {
    return parse(file, RECURSION_LIMIT);
  }

  static ModelProto parse(Path file, int recursionLimit) throws ModelException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new InvalidModelException(
            "file is " + size + " bytes; an ONNX protobuf cannot pass 2 GiB (large weights belong in external data)");
      }
      MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      CodedInputStream in = CodedInputStream.newInstance(mapped);
      in.enableAliasing(true);
      in.setRecursionLimit(recursionLimit);
      in.setSizeLimit(Integer.MAX_VALUE);
      ModelProto proto = ModelProto.parseFrom(in);
      in.checkLastTagWas(0);
      return proto;
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidModelException("not a valid ONNX protobuf: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ModelIOException("cannot read", e);
    }
  }
}
