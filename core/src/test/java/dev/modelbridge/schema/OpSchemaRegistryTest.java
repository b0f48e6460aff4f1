package dev.modelbridge.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.ir.AttributeKind;
import dev.modelbridge.schema.OpSchema.Arity;
import dev.modelbridge.schema.OpSchema.Parameter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OpSchemaRegistryTest {
  private final OpSchemaRegistry onnx = OpSchemaRegistry.onnx();

  @Test
  void lookupTakesTheHighestSinceVersionNotAboveTheImport() {
    assertEquals(11, onnx.lookup("", "Conv", 17).orElseThrow().sinceVersion());
    assertEquals(22, onnx.lookup("ai.onnx", "Conv", 22).orElseThrow().sinceVersion());
    assertEquals(1, onnx.lookup("", "Conv", 10).orElseThrow().sinceVersion());
    assertEquals(Optional.empty(), onnx.lookup("", "Gelu", 19));
    assertEquals(20, onnx.lookup("", "Gelu", 20).orElseThrow().sinceVersion());
    assertEquals(Optional.empty(), onnx.lookup("", "NoSuchOp", 17));
  }

  @Test
  void defaultDomainHasTwoSpellings() {
    assertEquals(onnx.lookup("", "Relu", 17), onnx.lookup("ai.onnx", "Relu", 17));
    assertTrue(onnx.knowsDomain(""));
    assertTrue(onnx.knowsDomain("ai.onnx"));
    assertTrue(onnx.knowsDomain("ai.onnx.ml"));
    assertTrue(onnx.knowsDomain("ai.onnx.preview.training"));
    assertFalse(onnx.knowsDomain("com.microsoft"));
  }

  @Test
  void firstVersionsAndLatestVersions() {
    assertEquals(Optional.of(1L), onnx.firstVersion("", "Relu"));
    assertEquals(Optional.of(20L), onnx.firstVersion("", "Gelu"));
    assertEquals(Optional.of(1L), onnx.firstVersion("ai.onnx.ml", "TreeEnsembleClassifier"));
    assertEquals(Optional.empty(), onnx.firstVersion("", "TreeEnsembleClassifier"));
    assertEquals(OptionalInt.of(28), onnx.latestVersion(""));
    assertEquals(OptionalInt.of(4), onnx.latestVersion("ai.onnx.ml"));
    assertEquals(List.of(1, 2, 4), onnx.versions("ai.onnx.ml", "LabelEncoder").stream()
        .map(OpSchema::sinceVersion).toList());
  }

  @Test
  void schemaFactsOfWellKnownOperators() {
    OpSchema concat = onnx.lookup("", "Concat", 13).orElseThrow();
    assertEquals(new Arity(1, Arity.UNBOUNDED), concat.inputArity());
    assertEquals(new Parameter("inputs", "T", Parameter.Option.VARIADIC, 1, true), concat.inputs().get(0));
    assertEquals(new AttributeSpec("axis", AttributeKind.INT, true, Optional.empty()), concat.attribute("axis").orElseThrow());

    OpSchema conv = onnx.lookup("", "Conv", 11).orElseThrow();
    assertEquals(new Arity(2, 3), conv.inputArity());
    assertEquals(Parameter.Option.OPTIONAL, conv.inputs().get(2).option());
    assertEquals(Optional.of("NOTSET"), conv.attribute("auto_pad").orElseThrow().defaultValue());
    assertEquals(Optional.of("1"), conv.attribute("group").orElseThrow().defaultValue());
    assertTrue(conv.typeConstraint("T").orElseThrow().allows("tensor(float)"));
    assertFalse(conv.typeConstraint("T").orElseThrow().allows("tensor(int64)"));

    OpSchema loop = onnx.lookup("", "Loop", 16).orElseThrow();
    Parameter v = loop.inputs().get(2);
    assertEquals(Parameter.Option.VARIADIC, v.option());
    assertFalse(v.homogeneous());
    assertEquals(0, v.minArity());
    assertEquals(new Arity(2, Arity.UNBOUNDED), loop.inputArity());
    assertSame(loop.inputs().get(2), loop.inputAt(7).orElseThrow());

    OpSchema zipMap = onnx.lookup("ai.onnx.ml", "ZipMap", 3).orElseThrow();
    assertTrue(zipMap.typeConstraint("T").orElseThrow().allows("seq(map(int64,float))"));
    assertTrue(onnx.lookup("", "Upsample", 10).orElseThrow().deprecated());
  }

  @Test
  void theTableRoundTripsThroughItsTextForm() {
    OpSchemaFormat.Table table = new OpSchemaFormat.Table(onnx.all(),
        java.util.Map.of("ai.onnx", 28, "ai.onnx.ml", 4, "ai.onnx.preview", 1, "ai.onnx.preview.training", 1));
    OpSchemaFormat.Table again = OpSchemaFormat.read(OpSchemaFormat.write(table));
    assertEquals(table.schemas(), again.schemas());
    assertEquals(table.latestVersions(), again.latestVersions());
    assertEquals(onnx.all().size(), OpSchemaRegistry.of(again).all().size());
  }

  @Test
  void loadingIsSharedAcrossThreads() {
    List<OpSchemaRegistry> seen = IntStream.range(0, 8)
        .mapToObj(i -> CompletableFuture.supplyAsync(OpSchemaRegistry::onnx)).map(CompletableFuture::join).toList();
    seen.forEach(r -> assertSame(onnx, r));
  }

  @Test
  void countsPerDomain() {
    assertEquals(203, onnx.operators("").size());
    assertEquals(612, onnx.all().stream().filter(s -> s.domain().equals("ai.onnx")).count());
    assertEquals(18, onnx.operators("ai.onnx.ml").size());
    assertEquals(4, onnx.operators("ai.onnx.preview.training").size());
  }
}
