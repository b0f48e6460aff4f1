package dev.modelbridge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.modelbridge.ModelException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.build.GraphBuilder;
import dev.modelbridge.format.Formats;
import dev.modelbridge.format.ModelFormat;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.format.StagedOutput;
import dev.modelbridge.format.WriteOptions;
import dev.modelbridge.inspect.ModelSummary;
import dev.modelbridge.inspect.ModelSummary.Detail;
import dev.modelbridge.ir.ElementType;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelBridge#inspect}: a format's details, with or without a conversion. */
class InspectTest {
  @TempDir Path dir;

  /** A format that detects every file, describes it with {@code details} and reads it or fails. */
  private record FakeFormat(List<Detail> details, boolean readable) implements ModelFormat {
    @Override
    public String id() {
      return "fake";
    }

    @Override
    public boolean detect(Path path) {
      return true;
    }

    @Override
    public boolean canRead() {
      return true;
    }

    @Override
    public boolean canWrite() {
      return false;
    }

    @Override
    public List<Detail> describe(Path path) {
      return details;
    }

    @Override
    public Model read(Path path, ReadOptions options) throws ModelException {
      if (!readable) {
        throw new UnsupportedModelException("op Foo is not supported").within("signature 'main'").inFile(path);
      }
      GraphBuilder g = GraphBuilder.named("g");
      String x = g.input("x", Type.tensor(ElementType.FLOAT, 2));
      g.output(g.op("Relu").inputs(x).output("y"), Type.tensor(ElementType.FLOAT, 2));
      return GraphBuilder.model(g.build(), 17);
    }

    @Override
    public void write(Model model, StagedOutput output, WriteOptions options) {}

    @Override
    public String outputName(String baseName) {
      return baseName;
    }
  }

  private static final List<Detail> DETAILS =
      List.of(new Detail("MetaGraph", "serve", List.of(Detail.of("signature", "main"))));

  @Test
  void aConvertedModelCarriesItsDetails() throws Exception {
    Path file = Files.writeString(dir.resolve("m"), "");
    ModelSummary s = ModelBridge.withFormats(Formats.of(new FakeFormat(DETAILS, true))).inspect(file);
    assertEquals(1, s.nodeCount());
    assertEquals(DETAILS, s.details());
    assertNull(s.conversionError());
  }

  @Test
  void aModelThatCannotBeConvertedIsStillDescribedWithTheReason() throws Exception {
    Path file = Files.writeString(dir.resolve("m"), "");
    ModelSummary s = ModelBridge.withFormats(Formats.of(new FakeFormat(DETAILS, false))).inspect(file);
    assertEquals(DETAILS, s.details());
    assertEquals("signature 'main': op Foo is not supported", s.conversionError());
    assertEquals(0, s.nodeCount());
  }

  @Test
  void withoutDetailsTheReadErrorIsThrown() throws Exception {
    Path file = Files.writeString(dir.resolve("m"), "");
    ModelBridge mb = ModelBridge.withFormats(Formats.of(new FakeFormat(List.of(), false)));
    assertThrows(UnsupportedModelException.class, () -> mb.inspect(file));
  }
}
