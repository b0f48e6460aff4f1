package dev.modelbridge.e2e.validate;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.modelbridge.schemas.onnx.AttributeProto;
import dev.modelbridge.schemas.onnx.FunctionProto;
import dev.modelbridge.schemas.onnx.GraphProto;
import dev.modelbridge.schemas.onnx.ModelProto;
import dev.modelbridge.schemas.onnx.NodeProto;
import dev.modelbridge.schemas.onnx.OperatorSetIdProto;
import dev.modelbridge.schemas.onnx.StringStringEntryProto;
import dev.modelbridge.schemas.onnx.TensorProto;
import dev.modelbridge.schemas.onnx.TensorShapeProto;
import dev.modelbridge.schemas.onnx.TypeProto;
import dev.modelbridge.schemas.onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Ways to break a valid corpus model, each with the rule id the validator must report. Most edit
 * the parsed {@code ModelProto}; a few damage the bytes themselves.
 */
final class Mutations {
  /** A real CNN (IR 3, opset 9) whose weights are raw_data initializers listed as graph inputs. */
  static final String SQUEEZENET = "onnx-backend/light/light_squeezenet.onnx";
  static final String ADD = "onnx-backend/node/test_add/model.onnx";
  static final String RELU = "onnx-backend/node/test_relu/model.onnx";
  static final String SOFTMAX = "onnx-backend/node/test_softmax_axis_0/model.onnx";
  static final String CONCAT = "onnx-backend/node/test_concat_1d_axis_0/model.onnx";
  static final String MISH = "onnx-backend/node/test_mish/model.onnx";
  static final String MATMUL = "onnx-backend/node/test_matmul_2d/model.onnx";
  static final String CONSTANT = "onnx-backend/node/test_constant/model.onnx";
  static final String IF = "onnx-backend/node/test_if/model.onnx";
  /** A float initializer of squeezenet, float[64], stored as raw_data. */
  static final String WEIGHT = "conv1_b_0";

  /** Turns the bytes of a valid model into the bytes of a broken one. */
  @FunctionalInterface
  interface Damage {
    byte[] apply(byte[] model) throws Exception;
  }

  /**
   * One way to break a model.
   *
   * @param name what is broken, as the test case is named
   * @param base the valid model, relative to the corpus root
   * @param rule the rule id the validator must report
   */
  record Mutation(String name, String base, String rule, Damage damage) {
    @Override
    public String toString() {
      return name + " -> " + rule;
    }
  }

  private Mutations() {}

  static List<Mutation> all() {
    return List.of(
        // Structure
        proto("producer of a node input dropped", SQUEEZENET, "graph.undefined-input",
            m -> m.getGraphBuilder().removeNode(0)),
        proto("producer moved after its reader", SQUEEZENET, "graph.not-topological", m -> {
          NodeProto first = m.getGraph().getNode(0);
          m.getGraphBuilder().removeNode(0).addNode(first);
        }),
        proto("two nodes write one output name", SQUEEZENET, "graph.duplicate-definition",
            m -> m.getGraphBuilder().getNodeBuilder(1).setOutput(0, m.getGraph().getNode(0).getOutput(0))),
        proto("graph output produced by nothing", SQUEEZENET, "graph.output-undefined",
            m -> m.getGraphBuilder().getOutputBuilder(0).setName("nothing_makes_this")),
        proto("nested graph reads an undefined value", IF, "graph.undefined-input", m -> {
          AttributeProto.Builder then = m.getGraphBuilder().getNodeBuilder(0).getAttributeBuilderList().stream()
              .filter(a -> a.getName().equals("then_branch")).findFirst().orElseThrow();
          NodeProto original = then.getG().getNode(0);
          then.getGBuilder().setNode(0, NodeProto.newBuilder().setOpType("Identity").addInput("ghost")
              .addOutput(original.getOutput(0)));
        }),
        proto("initializer without a name", SQUEEZENET, "graph.unnamed-value",
            m -> m.getGraphBuilder().addInitializer(floats("", 1f))),
        proto("graph input without a type", RELU, "graph.untyped-value",
            m -> m.getGraphBuilder().getInputBuilder(0).clearType()),
        proto("metadata key given twice", RELU, "model.metadata-duplicate-key", m -> m
            .addMetadataProps(dev.modelbridge.schemas.onnx.StringStringEntryProto.newBuilder().setKey("k").setValue("1"))
            .addMetadataProps(dev.modelbridge.schemas.onnx.StringStringEntryProto.newBuilder().setKey("k").setValue("2"))),
        proto("no opset import at all", SQUEEZENET, "model.opset-missing", ModelProto.Builder::clearOpsetImport),
        proto("node of a domain that is not imported", RELU, "model.opset-missing",
            m -> m.getGraphBuilder().getNodeBuilder(0).setDomain("com.example.unimported")),
        proto("default domain imported twice", SQUEEZENET, "model.opset-duplicate",
            m -> m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(8))),
        proto("IR version 0", SQUEEZENET, "model.ir-version", m -> m.setIrVersion(0)),
        proto("IR version newer than any release", RELU, "model.ir-version", m -> m.setIrVersion(99)),
        proto("bfloat16 value in an IR 3 model", SQUEEZENET, "model.ir-version",
            m -> m.getGraphBuilder().addValueInfo(value("bf", TensorProto.DataType.BFLOAT16, 2))),
        proto("function output that its body does not produce", RELU, "function.invalid", m -> m
            .setIrVersion(8)
            .addFunctions(FunctionProto.newBuilder().setName("f").setDomain("local").addInput("a").addOutput("b")
                .addOutput("never").addNode(NodeProto.newBuilder().setOpType("Relu").addInput("a").addOutput("b"))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(14)))),
        // Operators
        proto("unknown op", RELU, "op.unknown", m -> m.getGraphBuilder().getNodeBuilder(0).setOpType("NoSuchOp")),
        proto("opset older than the op", MISH, "op.not-in-opset",
            m -> m.getOpsetImportBuilder(0).setVersion(17)),
        proto("op of an unknown custom domain", RELU, "op.custom-domain", m -> {
          m.getGraphBuilder().getNodeBuilder(0).setDomain("com.example.custom");
          m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.example.custom").setVersion(1));
        }),
        proto("Add with three inputs", ADD, "op.arity", m -> m.getGraphBuilder().getNodeBuilder(0).addInput("x")),
        proto("float where an int attribute belongs", SOFTMAX, "op.attribute-type",
            m -> m.getGraphBuilder().getNodeBuilder(0).setAttribute(0, AttributeProto.newBuilder().setName("axis")
                .setType(AttributeProto.AttributeType.FLOAT).setF(0f))),
        proto("required attribute removed", CONCAT, "op.attribute-missing",
            m -> m.getGraphBuilder().getNodeBuilder(0).clearAttribute()),
        proto("attribute the op does not define", RELU, "op.attribute-unknown",
            m -> m.getGraphBuilder().getNodeBuilder(0).addAttribute(AttributeProto.newBuilder().setName("bogus")
                .setType(AttributeProto.AttributeType.INT).setI(1))),
        proto("Add of float and int64", ADD, "op.type-constraint",
            m -> m.getGraphBuilder().getInputBuilder(1).getTypeBuilder().getTensorTypeBuilder()
                .setElemType(TensorProto.DataType.INT64_VALUE)),
        // Inference
        proto("MatMul inner dimensions differ", MATMUL, "infer.incompatible-types",
            m -> m.getGraphBuilder().getInputBuilder(1).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .getDimBuilder(0).setDimValue(5)),
        proto("declared output shape contradicts inference", RELU, "infer.declared-shape-mismatch",
            m -> m.getGraphBuilder().getOutputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .getDimBuilder(2).setDimValue(6)),
        // Tensors
        proto("raw_data too short", SQUEEZENET, "tensor.data-size", m -> {
          TensorProto.Builder w = weight(m);
          w.setRawData(w.getRawData().substring(0, w.getRawData().size() - 4));
        }),
        proto("float_data shorter than the dims", CONSTANT, "tensor.data-size", m -> {
          TensorProto.Builder t = m.getGraphBuilder().getNodeBuilder(0).getAttributeBuilder(0).getTBuilder();
          t.clearRawData().clearFloatData().addFloatData(1f);
        }),
        proto("string tensor with fewer strings than elements", CONSTANT, "tensor.data-size", m -> {
          TensorProto.Builder t = m.getGraphBuilder().getNodeBuilder(0).getAttributeBuilder(0).getTBuilder();
          t.clearRawData().clearFloatData().clearDims().addDims(3).setDataType(TensorProto.DataType.STRING_VALUE)
              .addStringData(ByteString.copyFromUtf8("a")).addStringData(ByteString.copyFromUtf8("b"));
        }),
        proto("negative dimension", SQUEEZENET, "tensor.negative-dim", m -> weight(m).setDims(0, -64)),
        proto("NaN in a weight", SQUEEZENET, "tensor.nan-inf", m -> {
          TensorProto.Builder w = weight(m);
          byte[] raw = w.getRawData().toByteArray();
          ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putFloat(4, Float.NaN);
          w.setRawData(ByteString.copyFrom(raw));
        }),
        proto("external data path climbing out with ../", SQUEEZENET, "tensor.external-data-unsafe",
            m -> weight(m).clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("../weights.bin"))),
        // Unreadable files
        bytes("file truncated to half", SQUEEZENET, "format.invalid", b -> Arrays.copyOf(b, b.length / 2)),
        bytes("garbage bytes", SQUEEZENET, "format.invalid", b -> garbage(b.length)),
        proto("unknown tensor data_type", SQUEEZENET, "format.invalid", m -> weight(m).setDataType(99)),
        // Hygiene
        proto("initializer that nothing reads", SQUEEZENET, "hygiene.unused-initializer", m -> {
          m.getGraphBuilder().addInitializer(floats("spare", 1f, 2f));
          m.getGraphBuilder().addInput(value("spare", TensorProto.DataType.FLOAT, 2)); // IR 3: inputs too
        }),
        proto("node whose output goes nowhere", SQUEEZENET, "hygiene.dead-node",
            m -> m.getGraphBuilder().addNode(NodeProto.newBuilder().setOpType("Relu")
                .addInput(m.getGraph().getInput(0).getName()).addOutput("dead_end"))),
        proto("graph input that nothing reads", RELU, "hygiene.unused-input",
            m -> m.getGraphBuilder().addInput(value("ignored", TensorProto.DataType.FLOAT, 2))),
        proto("two nodes with one name", SQUEEZENET, "hygiene.duplicate-node-name", m -> {
          m.getGraphBuilder().getNodeBuilder(0).setName("same");
          m.getGraphBuilder().getNodeBuilder(1).setName("same");
        }));
  }

  /** A mutation of the parsed model. */
  static Mutation proto(String name, String base, String rule, Consumer<ModelProto.Builder> edit) {
    return new Mutation(name, base, rule, bytes -> {
      ModelProto.Builder m = ModelProto.parseFrom(bytes).toBuilder();
      edit.accept(m);
      return m.build().toByteArray();
    });
  }

  /** A mutation of the file's bytes. */
  static Mutation bytes(String name, String base, String rule, Damage damage) {
    return new Mutation(name, base, rule, damage);
  }

  private static TensorProto.Builder weight(ModelProto.Builder m) {
    GraphProto.Builder g = m.getGraphBuilder();
    return g.getInitializerBuilderList().stream().filter(t -> t.getName().equals(WEIGHT)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no initializer " + WEIGHT));
  }

  private static TensorProto floats(String name, float... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .addDims(values.length);
    for (float v : values) {
      t.addFloatData(v);
    }
    return t.build();
  }

  private static ValueInfoProto value(String name, TensorProto.DataType type, long size) {
    TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder().setElemType(type.getNumber())
        .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(size)))
        .build();
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
  }

  /** Seeded random bytes that are certainly no ModelProto. */
  private static byte[] garbage(int length) {
    byte[] b = new byte[Math.max(64, Math.min(length, 4096))];
    new Random(42).nextBytes(b);
    b[0] = (byte) 0xFF; // a tag varint that never ends within ten bytes: malformed for every parser
    Arrays.fill(b, 1, 11, (byte) 0xFF);
    try {
      ModelProto.parseFrom(b);
      throw new IllegalStateException("the garbage parses as a model");
    } catch (InvalidProtocolBufferException expected) {
      return b;
    }
  }
}
