package dev.modelbridge.e2e.hostile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.tensorflow.proto.AssetFileDef;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorShapeProto;

/** Malformed SavedModels made from corpus SavedModels (each a copy of the folder with one change). */
final class TfMutants {
  private TfMutants() {}

  static List<Candidate> all(List<Path> bases) throws Exception {
    List<Candidate> out = new ArrayList<>();
    Random random = new Random(60);
    for (Path base : bases) {
      String n = base.getFileName().toString();
      byte[] pb = Files.readAllBytes(base.resolve("saved_model.pb"));
      List<Wire.Field> fields = Wire.allFields(pb, 4);
      List<Integer> cuts = fields.stream().flatMap(f -> Stream.of(f.end(), f.start() + 1, f.payload()))
          .distinct().filter(c -> c > 0 && c < pb.length).sorted().toList();
      for (int cut : OnnxMutants.sample(cuts, 8)) {
        out.add(pb("truncation", n + " saved_model.pb@" + cut, base, Wire.truncate(pb, cut)));
      }
      for (int i = 0; i < 8; i++) {
        byte[] m = pb.clone();
        int at = random.nextInt(m.length);
        m[at] ^= (byte) (1 << random.nextInt(8));
        out.add(pb("bit-flip", n + " saved_model.pb@" + at, base, m));
      }
      long[] lengths = {0x7fffffffL, 0xffffffffL, 1L << 40};
      int k = 0;
      for (Wire.Field f : OnnxMutants.sample(fields.stream().filter(f -> f.lengthAt() >= 0).toList(), 6)) {
        long len = lengths[k++ % lengths.length];
        out.add(pb("inflated-length", n + " saved_model.pb@" + f.lengthAt() + "=" + len, base, Wire.withLength(pb, f, len)));
      }
      Path index = base.resolve("variables/variables.index");
      if (Files.isRegularFile(index)) {
        byte[] ix = Files.readAllBytes(index);
        for (int cut : new int[] {0, ix.length / 3, ix.length - 48, ix.length - 1}) {
          out.add(file("truncation", n + " variables.index@" + cut, base, "variables/variables.index",
              Wire.truncate(ix, Math.max(0, cut))));
        }
        for (int i = 0; i < 4; i++) {
          byte[] m = ix.clone();
          int at = random.nextInt(m.length);
          m[at] ^= (byte) (1 << random.nextInt(8));
          out.add(file("bit-flip", n + " variables.index@" + at, base, "variables/variables.index", m));
        }
      }
      SavedModel sm = SavedModel.parseFrom(pb);
      out.add(edit("recursive-function", n + " self", base, sm, m -> library(m, "rec", List.of("rec"), false)));
      out.add(edit("recursive-function", n + " mutual", base, sm, m -> library(m, "f", List.of("f", "g"), false)));
      out.add(edit("recursive-function", n + " via StatefulPartitionedCall", base, sm,
          m -> library(m, "p", List.of("p", "q", "r"), true)));
      out.add(edit("recursive-function", n + " fan-out 2^40", base, sm, TfMutants::fanOut));
      out.add(pb("deep-nesting", n + " AttrValue func x3000", base, Wire.concat(pb, nestedAttrs(3000))));
      out.add(pb("deep-nesting", n + " AttrValue func x450", base, Wire.concat(pb, nestedAttrs(450))));
      for (long d : new long[] {-7, 1L << 40, Long.MAX_VALUE}) {
        out.add(edit(d < 0 ? "negative-dims" : "huge-dims", n + " const dim " + d, base, sm,
            m -> hostileConst(m, DataType.DT_FLOAT, d)));
      }
      for (DataType dt : new DataType[] {DataType.DT_RESOURCE, DataType.DT_VARIANT, DataType.DT_DOUBLE}) {
        out.add(edit("wrong-dtype", n + " const dtype " + dt, base, sm, m -> hostileConst(m, dt, 3)));
      }
      for (String name : new String[] {"../../../etc/passwd", "/etc/passwd", "..\\..\\x", "a/../../b"}) {
        out.add(edit("traversal-path", n + " asset '" + name + "'", base, sm, m -> m.addAssetFileDef(
            AssetFileDef.newBuilder().setFilename(name))));
      }
      out.add(new Candidate("traversal-path", n + " asset symlinked outside", dir -> {
        Path model = copy(base, dir);
        Files.createDirectories(model.resolve("assets"));
        Files.writeString(dir.resolve("outside.txt"), "secret");
        Files.createSymbolicLink(model.resolve("assets/link.txt"), dir.resolve("outside.txt"));
        SavedModel.Builder b = sm.toBuilder();
        b.getMetaGraphsBuilderList().forEach(m -> m.addAssetFileDef(AssetFileDef.newBuilder().setFilename("link.txt")));
        Files.write(model.resolve("saved_model.pb"), b.build().toByteArray());
        return model;
      }));
    }
    return out;
  }

  /** Functions named {@code ring} calling each other round (or one itself), called from the graph. */
  private static void library(MetaGraphDef.Builder m, String first, List<String> ring, boolean partitioned) {
    for (int i = 0; i < ring.size(); i++) {
      String next = ring.get((i + 1) % ring.size());
      m.getGraphDefBuilder().getLibraryBuilder().addFunction(FunctionDef.newBuilder()
          .setSignature(OpDef.newBuilder().setName(ring.get(i)))
          .addNodeDef(call("again", next, partitioned)));
    }
    m.getGraphDefBuilder().addNode(call("hostile_call", first, partitioned));
  }

  private static NodeDef call(String name, String fn, boolean partitioned) {
    if (!partitioned) {
      return NodeDef.newBuilder().setName(name).setOp(fn).build();
    }
    return NodeDef.newBuilder().setName(name).setOp("StatefulPartitionedCall")
        .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(fn)).build()).build();
  }

  /** Not recursive, but each of 40 functions calls the next twice: 2^40 nodes once inlined. */
  private static void fanOut(MetaGraphDef.Builder m) {
    for (int i = 0; i < 40; i++) {
      m.getGraphDefBuilder().getLibraryBuilder().addFunction(FunctionDef.newBuilder()
          .setSignature(OpDef.newBuilder().setName("fan" + i))
          .addNodeDef(call("a", "fan" + (i + 1), false)).addNodeDef(call("b", "fan" + (i + 1), false)));
    }
    m.getGraphDefBuilder().getLibraryBuilder().addFunction(FunctionDef.newBuilder()
        .setSignature(OpDef.newBuilder().setName("fan40")).addNodeDef(NodeDef.newBuilder().setName("n").setOp("NoOp")));
    m.getGraphDefBuilder().addNode(call("hostile_call", "fan0", false));
  }

  private static void hostileConst(MetaGraphDef.Builder m, DataType dt, long dim) {
    org.tensorflow.proto.TensorProto t = org.tensorflow.proto.TensorProto.newBuilder().setDtype(dt)
        .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(dim)))
        .setTensorContent(com.google.protobuf.ByteString.copyFrom(new byte[12])).build();
    if (dt == DataType.DT_FLOAT) {
      t = t.toBuilder().clearTensorContent().addFloatVal(1f).build();
    }
    m.getGraphDefBuilder().addNode(NodeDef.newBuilder().setName("hostile_const").setOp("Const")
        .putAttr("dtype", AttrValue.newBuilder().setType(dt).build())
        .putAttr("value", AttrValue.newBuilder().setTensor(t).build()));
  }

  /**
   * A MetaGraph appended on the wire (protobuf merges repeated fields) whose one node has an
   * attribute holding a function whose attribute holds a function ... {@code depth} deep.
   */
  static byte[] nestedAttrs(int depth) {
    byte[] attr = Wire.lengthDelimited(6, new byte[] {1}); // AttrValue { type: DT_FLOAT }
    for (int i = 0; i < depth; i++) {
      byte[] entry = Wire.concat(Wire.lengthDelimited(1, new byte[] {'k'}), Wire.lengthDelimited(2, attr));
      byte[] nameAttrList = Wire.concat(Wire.lengthDelimited(1, new byte[] {'f'}), Wire.lengthDelimited(2, entry));
      attr = Wire.lengthDelimited(10, nameAttrList); // AttrValue.func
    }
    byte[] entry = Wire.concat(Wire.lengthDelimited(1, new byte[] {'k'}), Wire.lengthDelimited(2, attr));
    byte[] node = Wire.concat(Wire.lengthDelimited(1, new byte[] {'n'}), Wire.lengthDelimited(2, new byte[] {'X'}),
        Wire.lengthDelimited(5, entry));
    byte[] graph = Wire.lengthDelimited(1, node);
    byte[] meta = Wire.lengthDelimited(2, graph); // MetaGraphDef.graph_def
    return Wire.lengthDelimited(2, meta); // SavedModel.meta_graphs
  }

  private static Candidate edit(String kind, String name, Path base, SavedModel sm, Consumer<MetaGraphDef.Builder> e) {
    return new Candidate(kind, name, dir -> {
      SavedModel.Builder b = sm.toBuilder();
      b.getMetaGraphsBuilderList().forEach(e);
      Path model = copy(base, dir);
      Files.write(model.resolve("saved_model.pb"), b.build().toByteArray());
      return model;
    });
  }

  private static Candidate pb(String kind, String name, Path base, byte[] bytes) {
    return file(kind, name, base, "saved_model.pb", bytes);
  }

  private static Candidate file(String kind, String name, Path base, String rel, byte[] bytes) {
    return new Candidate(kind, name, dir -> {
      Path model = copy(base, dir);
      Files.write(model.resolve(rel), bytes);
      return model;
    });
  }

  static Path copy(Path base, Path dir) throws java.io.IOException {
    Path model = dir.resolve("sm");
    try (Stream<Path> files = Files.walk(base)) {
      for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
        Path t = model.resolve(base.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return model;
  }
}
