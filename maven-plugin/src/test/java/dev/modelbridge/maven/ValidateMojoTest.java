package dev.modelbridge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.build.Tensors;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Shape;
import dev.modelbridge.ir.Type;
import dev.modelbridge.validate.Severity;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goal as a build meets it, on a project folder with tiny models; the Maven runtime is replaced by fields. */
class ValidateMojoTest {
  @TempDir Path project;
  final RecordingLog log = new RecordingLog();

  static Model mlp() {
    GraphBuilder g = GraphBuilder.named("mlp");
    String x = g.input("x", Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 4)));
    String w = g.initializer(Tensors.randomFloats("w", 1, 4, 2));
    String h = g.op("MatMul").inputs(x, w).output();
    String y = g.op("Relu").inputs(h).output("y");
    g.output(y, Type.tensor(ElementType.FLOAT, Shape.ofMixed("batch", 2)));
    return GraphBuilder.model(g.build(), 17);
  }

  Path validModel(String relative) throws Exception {
    Path file = project.resolve(relative);
    Files.createDirectories(file.getParent());
    try (StagedOutput s = new StagedOutput(file, false)) {
      ModelBridge.create().formats().byId("onnx").write(mlp(), s, WriteOptions.defaults());
      s.commit();
    }
    return file;
  }

  Path garbage(String relative) throws Exception {
    Path file = project.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, "this is not an ONNX model\n");
  }

  ValidateMojo mojo() {
    ValidateMojo m = new ValidateMojo();
    m.basedir = project.toFile();
    m.reportFormat = "text";
    m.setLog(log);
    return m;
  }

  @Test
  void aValidModelPasses() throws Exception {
    validModel("src/main/resources/models/mlp.onnx");
    mojo().execute();
    assertEquals(List.of(), log.at("ERROR"));
    assertTrue(log.at("INFO").stream().anyMatch(l -> l.startsWith("ModelBridge checked 1 model file in ")), log.all());
  }

  @Test
  void anUnreadableModelFailsTheBuildNamingFileAndRule() throws Exception {
    validModel("src/main/resources/models/mlp.onnx");
    garbage("src/main/resources/models/broken.onnx");
    MojoFailureException e = assertThrows(MojoFailureException.class, () -> mojo().execute());
    assertTrue(e.getMessage().startsWith("ModelBridge found 1 error, 0 warnings in 1 of 2 model files"), e.getMessage());
    assertTrue(e.getMessage().endsWith(": src/main/resources/models/broken.onnx"), e.getMessage());
    List<String> errors = log.at("ERROR");
    assertEquals(1, errors.size(), log.all());
    assertTrue(errors.get(0).startsWith("src/main/resources/models/broken.onnx"), errors.get(0));
    assertTrue(errors.get(0).endsWith("[format.invalid]"), errors.get(0));
  }

  @Test
  void skipChecksNothing() throws Exception {
    garbage("src/main/resources/broken.onnx");
    ValidateMojo m = mojo();
    m.skip = true;
    m.execute();
    assertEquals(List.of("ModelBridge validation skipped"), log.at("INFO"));
  }

  @Test
  void aProjectWithoutResourcesPasses() throws Exception {
    mojo().execute();
    assertTrue(log.at("INFO").get(0).startsWith("ModelBridge: no model files under "), log.all());
  }

  @Test
  void excludesLeaveFilesOut() throws Exception {
    validModel("src/main/resources/mlp.onnx");
    garbage("src/main/resources/scratch/broken.onnx");
    ValidateMojo m = mojo();
    m.excludes = List.of("scratch/**");
    m.execute();
    assertEquals(List.of(), log.at("ERROR"));
  }

  @Test
  void includesSelectFilesWhateverTheirName() throws Exception {
    validModel("src/main/resources/weights/model.bin");
    garbage("src/main/resources/other/broken.onnx");
    ValidateMojo m = mojo();
    m.includes = List.of("**/*.bin");
    m.execute();
    assertTrue(log.at("INFO").stream().anyMatch(l -> l.startsWith("ModelBridge checked 1 model file")), log.all());
  }

  @Test
  void everyConfiguredFolderIsChecked() throws Exception {
    validModel("models/a.onnx");
    garbage("more/b.onnx");
    ValidateMojo m = mojo();
    m.directories = List.of(project.resolve("models").toFile(), project.resolve("more").toFile());
    MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
    assertTrue(e.getMessage().contains("in 1 of 2 model files"), e.getMessage());
    assertTrue(e.getMessage().endsWith("more/b.onnx"), e.getMessage());
  }

  @Test
  void theReportFileListsTheFindings() throws Exception {
    validModel("src/main/resources/mlp.onnx");
    garbage("src/main/resources/broken.onnx");
    ValidateMojo m = mojo();
    m.reportFile = project.resolve("target/modelbridge/report.txt").toFile();
    assertThrows(MojoFailureException.class, m::execute);
    String report = Files.readString(m.reportFile.toPath());
    assertTrue(report.contains("broken.onnx: error: not a valid ONNX protobuf"), report);
    assertTrue(report.contains("[format.invalid]"), report);
    assertTrue(report.contains("2 models checked"), report);
  }

  @Test
  void sarifReportsAreWrittenByTheCoreWriter() throws Exception {
    garbage("src/main/resources/broken.onnx");
    ValidateMojo m = mojo();
    m.reportFile = project.resolve("target/modelbridge/report.sarif").toFile();
    m.reportFormat = "sarif";
    assertThrows(MojoFailureException.class, m::execute);
    String sarif = Files.readString(m.reportFile.toPath());
    assertTrue(sarif.contains("\"version\": \"2.1.0\""), sarif);
    assertTrue(sarif.contains("\"ruleId\": \"format.invalid\""), sarif);
  }

  @Test
  void badSettingsAreConfigurationErrors() throws Exception {
    validModel("src/main/resources/mlp.onnx");
    ValidateMojo bad = mojo();
    bad.failOn = "fatal";
    assertTrue(assertThrows(MojoExecutionException.class, bad::execute).getMessage().contains("'fatal'"));
    ValidateMojo format = mojo();
    format.reportFormat = "pdf";
    assertTrue(assertThrows(MojoExecutionException.class, format::execute).getMessage().contains("'pdf'"));
    ValidateMojo policy = mojo();
    policy.policyFile = new File(project.toFile(), "missing-policy.json");
    assertTrue(assertThrows(MojoExecutionException.class, policy::execute).getMessage()
        .contains("missing-policy.json"));
  }

  @Test
  void failOnAcceptsEitherCase() throws Exception {
    assertEquals(Severity.WARNING, ValidateMojo.parseFailOn(" Warning "));
    assertEquals(Severity.ERROR, ValidateMojo.parseFailOn("ERROR"));
    assertNull(ValidateMojo.parseFailOn(null));
  }
}
