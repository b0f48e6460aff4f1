package dev.modelbridge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.build.Tensors;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Type;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user meets it: exit codes, messages, files left behind. */
class CliTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = Main.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static Model mlp() {
    GraphBuilder g = GraphBuilder.named("mlp");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 64)));
    String w = g.initializer(Tensors.randomFloats("w", 1, 64, 32));
    String h = g.op("MatMul").inputs(x, w).output();
    String y = g.op("Relu").inputs(h).output("y");
    g.output(y, Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 32)));
    return GraphBuilder.model(g.build(), 17);
  }

  Path writeModel(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    try (StagedOutput s = new StagedOutput(file, false)) {
      ModelBridge.create().formats().byId("onnx").write(mlp(), s, WriteOptions.defaults());
      s.commit();
    }
    return file;
  }

  @Test
  void convertsOneModel() throws Exception {
    Path in = writeModel(dir.resolve("in/mlp.onnx"));
    byte[] before = Files.readAllBytes(in);
    Run r = run("convert", in.toString(), "--to", "onnx", "-o", dir.resolve("out/mlp.onnx").toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("mlp.onnx"), r.out());
    assertTrue(Files.exists(dir.resolve("out/mlp.onnx")));
    assertArrayEquals(before, Files.readAllBytes(in), "the input is never modified");
    assertEquals(List.of(dir.resolve("out/mlp.onnx")), list(dir.resolve("out")), "no temporary files remain");
  }

  @Test
  void externalDataWritesASideFile() throws Exception {
    Path in = writeModel(dir.resolve("mlp.onnx"));
    Run r = run("convert", in.toString(), "--to", "onnx", "--external-data", "--size-threshold", "4096",
        "-o", dir.resolve("out/mlp.onnx").toString());
    assertEquals(0, r.exit(), r.err());
    assertEquals(64 * 32 * 4, Files.size(dir.resolve("out/mlp.onnx.data")));
  }

  @Test
  void anExistingOutputIsKeptUnlessForced() throws Exception {
    Path in = writeModel(dir.resolve("mlp.onnx"));
    Path out = Files.writeString(dir.resolve("out.onnx"), "earlier output");
    Run r = run("convert", in.toString(), "--to", "onnx", "-o", out.toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("already exists"), r.err());
    assertEquals("earlier output", Files.readString(out));
    assertEquals(0, run("convert", in.toString(), "--to", "onnx", "-o", out.toString(), "--force").exit());
    assertFalse(Files.readString(out, java.nio.charset.StandardCharsets.ISO_8859_1).equals("earlier output"));
  }

  @Test
  void convertsAFolderKeepingRelativePaths() throws Exception {
    writeModel(dir.resolve("models/a.onnx"));
    writeModel(dir.resolve("models/nested/b.onnx"));
    Files.writeString(dir.resolve("models/README.txt"), "not a model");
    Run r = run("convert", dir.resolve("models").toString(), "--to", "onnx", "--output-dir", dir.resolve("out").toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(Files.exists(dir.resolve("out/a.onnx")));
    assertTrue(Files.exists(dir.resolve("out/nested/b.onnx")));
  }

  @Test
  void aBadModelGivesOneLineAndExitCode1AndTheOthersStillConvert() throws Exception {
    Path good = writeModel(dir.resolve("in/good.onnx"));
    Path bad = Files.write(dir.resolve("in/bad.onnx"), new byte[] {0x08, (byte) 0xff, 0x3a, 0x01});
    Run r = run("convert", bad.toString(), good.toString(), "--to", "onnx", "--output-dir", dir.resolve("out").toString());
    assertEquals(1, r.exit());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains(bad.toString()), r.err());
    assertTrue(Files.exists(dir.resolve("out/good.onnx")));
    assertFalse(Files.exists(dir.resolve("out/bad.onnx")));
  }

  @Test
  void verbosePrintsTheStackTrace() throws Exception {
    Path bad = Files.write(dir.resolve("bad.onnx"), new byte[] {0x08, (byte) 0xff});
    Run r = run("inspect", bad.toString(), "--verbose");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("\tat "), r.err());
  }

  @Test
  void theOutputMayNotReplaceTheInput() throws Exception {
    Path in = writeModel(dir.resolve("mlp.onnx"));
    byte[] before = Files.readAllBytes(in);
    Run r = run("convert", in.toString(), "--to", "onnx", "-o", in.toString(), "--force");
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("replace the input"), r.err());
    assertArrayEquals(before, Files.readAllBytes(in));
  }

  @Test
  void usageErrorsExitWith2() {
    assertEquals(2, run("convert", "x.onnx").exit());
    assertEquals(2, run("convert", "x.onnx", "--to", "onnx", "-o", "a", "--output-dir", "b").exit());
    assertEquals(2, run("frobnicate").exit());
    assertEquals(2, run("inspect", dir.resolve("missing.onnx").toString()).exit());
  }

  @Test
  void inspectPrintsTextAndJson() throws Exception {
    Path in = writeModel(dir.resolve("mlp.onnx"));
    Run text = run("inspect", in.toString());
    assertEquals(0, text.exit(), text.err());
    assertTrue(text.out().contains("float[batch,64]"), text.out());
    assertTrue(text.out().contains("MatMul 1"), text.out());
    Run json = run("inspect", in.toString(), "--json");
    JsonNode n = new ObjectMapper().readTree(json.out());
    assertEquals("onnx", n.get("format").asText());
    assertEquals(64 * 32, n.get("parameterCount").asLong());
    assertEquals("x", n.get("inputs").get(0).get("name").asText());
    assertEquals(1, n.get("opHistogram").get("Relu").asInt());
  }

  @Test
  void versionHelpAndCompletion() {
    assertTrue(run("--version").out().startsWith("modelbridge "));
    assertTrue(run("convert", "--help").out().contains("--external-data"));
    assertTrue(run("generate-completion").out().contains("complete"));
  }

  private static List<Path> list(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.sorted().toList();
    }
  }
}
