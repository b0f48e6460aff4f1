package dev.modelbridge.e2e.hostile;

import dev.modelbridge.schemas.onnx.AttributeProto;
import dev.modelbridge.schemas.onnx.FunctionProto;
import dev.modelbridge.schemas.onnx.GraphProto;
import dev.modelbridge.schemas.onnx.ModelProto;
import dev.modelbridge.schemas.onnx.NodeProto;
import dev.modelbridge.schemas.onnx.OperatorSetIdProto;
import dev.modelbridge.schemas.onnx.StringStringEntryProto;
import dev.modelbridge.schemas.onnx.TensorProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/** Malformed ONNX files made from corpus models, one {@link Candidate} each. */
final class OnnxMutants {
  private OnnxMutants() {}

  static List<Candidate> all(List<Path> bases, Path weighted) throws Exception {
    List<Candidate> out = new ArrayList<>();
    Random random = new Random(6);
    List<Path> withWeights = new ArrayList<>(bases);
    withWeights.add(0, weighted);
    for (Path base : withWeights) {
      byte[] b = Files.readAllBytes(base);
      String n = base.getParent().getFileName() + "/" + base.getFileName();
      List<Wire.Field> fields = Wire.allFields(b, 3);
      List<Integer> cuts = new ArrayList<>();
      for (Wire.Field f : fields) {
        cuts.add(f.end());
        cuts.add(f.start() + 1);
        if (f.lengthAt() >= 0) {
          cuts.add(f.payload());
        }
      }
      for (int cut : sample(cuts.stream().distinct().filter(c -> c > 0 && c < b.length).sorted().toList(), 10)) {
        out.add(bytes("truncation", n + "@" + cut, Wire.truncate(b, cut)));
      }
      for (int i = 0; i < 10; i++) {
        byte[] m = b.clone();
        int at = random.nextInt(m.length);
        m[at] ^= (byte) (1 << random.nextInt(8));
        out.add(bytes("bit-flip", n + "@" + at, m));
      }
      List<Wire.Field> delimited = fields.stream().filter(f -> f.lengthAt() >= 0).toList();
      long[] lengths = {0x7fffffffL, 0xffffffffL, 1L << 40, Long.MAX_VALUE};
      int k = 0;
      for (Wire.Field f : sample(delimited, 7)) {
        long len = lengths[k++ % lengths.length];
        out.add(bytes("inflated-length", n + "@" + f.lengthAt() + "=" + len, Wire.withLength(b, f, len)));
      }
    }
    Path plain = bases.get(0);
    for (int depth : new int[] {65, 100, 150, 400, 1500}) {
      out.add(bytes("deep-nesting", "If x" + depth, nestedIfs(depth)));
    }
    for (int depth : new int[] {200, 500, 3000}) {
      out.add(bytes("deep-nesting", "sequence type x" + depth, nestedTypes(depth)));
    }
    ModelProto add = ModelProto.parseFrom(Files.readAllBytes(plain));
    out.add(proto("recursive-function", "self", recursive(add, List.of("F"), false)));
    out.add(proto("recursive-function", "mutual", recursive(add, List.of("F", "G"), false)));
    out.add(proto("recursive-function", "three-cycle", recursive(add, List.of("F", "G", "H"), false)));
    out.add(proto("recursive-function", "self through If", recursive(add, List.of("F"), true)));
    out.add(proto("recursive-function", "mutual through If", recursive(add, List.of("F", "G"), true)));
    ModelProto cnn = ModelProto.parseFrom(Files.readAllBytes(weighted));
    int inits = cnn.getGraph().getInitializerCount();
    for (int i = 0; i < inits; i++) {
      final int at = i;
      for (long d : new long[] {-1, -64, Long.MIN_VALUE}) {
        out.add(proto("negative-dims", "init " + i + " dim " + d, edit(cnn, at, t -> t.setDims(0, d))));
      }
      for (long d : new long[] {1L << 40, Long.MAX_VALUE}) {
        out.add(proto("huge-dims", "init " + i + " dim " + d, edit(cnn, at, t -> t.setDims(0, d))));
      }
      out.add(proto("huge-dims", "init " + i + " 3 x 2^31",
          edit(cnn, at, t -> t.clearDims().addDims(1L << 31).addDims(1L << 31).addDims(1L << 31))));
      for (int dt : new int[] {11, 0, 99, -3}) {
        out.add(proto("wrong-dtype", "init " + i + " dtype " + dt, edit(cnn, at, t -> t.setDataType(dt))));
      }
      if (i < 2) {
        traversal(out, cnn, at);
      }
    }
    return out;
  }

  private static void traversal(List<Candidate> out, ModelProto cnn, int at) {
    String[] hostile = {"../../etc/passwd", "/etc/passwd", "..\\..\\secret.bin", "sub/../../secret.bin",
        "C:\\Windows\\win.ini", "~/.ssh/id_rsa", "a\u0000b", ""};
    for (String loc : hostile) {
      out.add(new Candidate("traversal-path", "init " + at + " '" + loc + "'", dir -> {
        Files.writeString(dir.resolve("secret.bin"), "x".repeat(4096));
        return write(dir, external(cnn, at, loc));
      }));
    }
    out.add(new Candidate("traversal-path", "init " + at + " symlink to a file outside", dir -> {
      Path inner = Files.createDirectories(dir.resolve("model"));
      Files.write(dir.resolve("outside.bin"), new byte[1 << 16]);
      Files.createSymbolicLink(inner.resolve("w.bin"), dir.resolve("outside.bin"));
      return write(inner, external(cnn, at, "w.bin"));
    }));
    out.add(new Candidate("traversal-path", "init " + at + " symlinked folder outside", dir -> {
      Path inner = Files.createDirectories(dir.resolve("model"));
      Files.createDirectories(dir.resolve("elsewhere"));
      Files.write(dir.resolve("elsewhere/w.bin"), new byte[1 << 16]);
      Files.createSymbolicLink(inner.resolve("d"), dir.resolve("elsewhere"));
      return write(inner, external(cnn, at, "d/w.bin"));
    }));
    out.add(new Candidate("traversal-path", "init " + at + " range past the end", dir -> {
      Files.write(dir.resolve("w.bin"), new byte[16]);
      ModelProto m = external(cnn, at, "w.bin").toBuilder().build();
      return write(dir, withEntries(m, at, "w.bin", "1000000000000", "64"));
    }));
  }

  private static ModelProto external(ModelProto m, int at, String location) {
    return withEntries(m, at, location, null, null);
  }

  private static ModelProto withEntries(ModelProto m, int at, String location, String offset, String length) {
    ModelProto.Builder b = m.toBuilder();
    TensorProto.Builder t = b.getGraphBuilder().getInitializerBuilder(at).clearRawData().clearFloatData()
        .setDataLocation(TensorProto.DataLocation.EXTERNAL).clearExternalData()
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
    if (offset != null) {
      t.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(offset));
      t.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(length));
    }
    return b.build();
  }

  private static ModelProto edit(ModelProto m, int at, UnaryOperator<TensorProto.Builder> e) {
    ModelProto.Builder b = m.toBuilder();
    e.apply(b.getGraphBuilder().getInitializerBuilder(at));
    return b.build();
  }

  /** Model-local functions calling each other in a ring (or one calling itself), called from the graph. */
  private static ModelProto recursive(ModelProto m, List<String> ring, boolean throughIf) {
    ModelProto.Builder b = m.toBuilder().addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("local").setVersion(1));
    for (int i = 0; i < ring.size(); i++) {
      NodeProto call = NodeProto.newBuilder().setOpType(ring.get((i + 1) % ring.size())).setDomain("local")
          .addInput("x").addOutput("y").build();
      NodeProto body = call;
      if (throughIf) {
        GraphProto branch = GraphProto.newBuilder().setName("branch").addNode(call).build();
        body = NodeProto.newBuilder().setOpType("If").addInput("x").addOutput("y")
            .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(branch))
            .addAttribute(AttributeProto.newBuilder().setName("else_branch").setType(AttributeProto.AttributeType.GRAPH).setG(branch))
            .build();
      }
      b.addFunctions(FunctionProto.newBuilder().setName(ring.get(i)).setDomain("local").addInput("x").addOutput("y")
          .addNode(body).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17)));
    }
    String in = m.getGraph().getInput(0).getName();
    b.getGraphBuilder().addNode(NodeProto.newBuilder().setOpType(ring.get(0)).setDomain("local")
        .addInput(in).addOutput("hostile_out"));
    return b.build();
  }

  /** An If whose then_branch holds an If ... {@code depth} graphs deep, written by hand on the wire. */
  static byte[] nestedIfs(int depth) {
    byte[] graph = Wire.concat(Wire.lengthDelimited(2, utf8("g0")));
    for (int i = 1; i <= depth; i++) {
      byte[] attr = Wire.concat(Wire.lengthDelimited(1, utf8("then_branch")), Wire.lengthDelimited(6, graph),
          new byte[] {(byte) 160, 1, 5}); // type (field 20) = GRAPH
      byte[] node = Wire.concat(Wire.lengthDelimited(1, utf8("c")), Wire.lengthDelimited(2, utf8("y" + i)),
          Wire.lengthDelimited(4, utf8("If")), Wire.lengthDelimited(5, attr));
      graph = Wire.concat(Wire.lengthDelimited(1, node), Wire.lengthDelimited(2, utf8("g" + i)));
    }
    return model(graph);
  }

  /** A graph input whose type is a sequence of a sequence of ... {@code depth} deep. */
  static byte[] nestedTypes(int depth) {
    byte[] type = Wire.lengthDelimited(1, new byte[] {8, 1}); // tensor_type { elem_type: FLOAT }
    for (int i = 0; i < depth; i++) {
      type = Wire.lengthDelimited(4, Wire.lengthDelimited(1, type)); // sequence_type { elem_type: ... }
    }
    byte[] input = Wire.concat(Wire.lengthDelimited(1, utf8("x")), Wire.lengthDelimited(2, type));
    return model(Wire.concat(Wire.lengthDelimited(2, utf8("g")), Wire.lengthDelimited(11, input)));
  }

  private static byte[] model(byte[] graph) {
    byte[] opset = Wire.lengthDelimited(8, new byte[] {16, 17}); // version 17
    return Wire.concat(new byte[] {8, 8}, opset, Wire.lengthDelimited(7, graph)); // ir_version 8
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static <T> List<T> sample(List<T> all, int n) {
    if (all.size() <= n) {
      return all;
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(all.get((int) ((long) i * all.size() / n)));
    }
    return out;
  }

  private static Candidate bytes(String kind, String name, byte[] b) {
    return new Candidate(kind, name, dir -> {
      Path f = dir.resolve("model.onnx");
      Files.write(f, b);
      return f;
    });
  }

  private static Candidate proto(String kind, String name, ModelProto m) {
    return new Candidate(kind, name, dir -> write(dir, m));
  }

  private static Path write(Path dir, ModelProto m) throws java.io.IOException {
    Path f = dir.resolve("model.onnx");
    Files.write(f, m.toByteArray());
    return f;
  }
}
