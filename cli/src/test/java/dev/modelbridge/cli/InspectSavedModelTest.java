package dev.modelbridge.cli;

import static dev.modelbridge.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelbridge.cli.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inspect} on SavedModels lists every MetaGraph and signature with its inputs and outputs,
 * also when the model cannot be converted, and then says why.
 */
class InspectSavedModelTest {
  @TempDir Path dir;

  /** TensorFlow's half_plus_two test model: one MetaGraph with six signatures, five not convertible. */
  @Test
  void halfPlusTwoListsAllSixSignatures() throws Exception {
    Path model = corpus().resolve("tf-savedmodels/tensorflow/cc/saved_model/testdata/half_plus_two/00000123");
    Assumptions.assumeTrue(Files.isDirectory(model), "half_plus_two not in the corpus");

    Run text = run("inspect", model.toString());
    assertEquals(0, text.exit(), text.err());
    assertTrue(text.out().contains("  MetaGraph:     serve  (TensorFlow 1.1.0-rc2"), text.out());
    for (String sig : List.of("classify_x2_to_y3", "classify_x_to_y", "regress_x2_to_y3", "regress_x_to_y",
        "regress_x_to_y2", "serving_default")) {
      assertTrue(text.out().contains("    signature:   " + sig + "  (tensorflow/serving/"), sig + " in\n" + text.out());
    }
    assertTrue(text.out().contains("      input:     inputs  string[...]  (tf_example:0)"), text.out());
    assertTrue(text.out().contains("      output:    y  float[?,1]  (y:0)"), text.out());
    // The IR summary is of serving_default, converted.
    assertTrue(text.out().contains("ops:           Add 1, Identity 1, Mul 1"), text.out());
    assertTrue(text.out().contains("external data: variables/variables.data-00000-of-00001"), text.out());

    JsonNode json = new ObjectMapper().readTree(run("inspect", model.toString(), "--json").out());
    assertTrue(json.get("conversionError").isNull());
    JsonNode meta = json.get("details").get(0);
    assertEquals("MetaGraph", meta.get("label").asText());
    assertEquals(6, meta.get("children").size());
    JsonNode serving = meta.get("children").get(5);
    assertEquals("serving_default  (tensorflow/serving/predict)", serving.get("value").asText());
    assertEquals("input", serving.get("children").get(0).get("label").asText());
    assertEquals("x  float[?,1]  (x:0)", serving.get("children").get(0).get("value").asText());
  }

  @Test
  void withoutServingDefaultListsTheSignaturesAndSaysWhy() throws Exception {
    Path model = savedModel("no_default", "predict", "Neg");
    Run text = run("inspect", model.toString());
    assertEquals(0, text.exit(), text.err());
    assertTrue(text.out().contains("  MetaGraph:     serve  (2 nodes)"), text.out());
    assertTrue(text.out().contains("  MetaGraph:     serve,train  (2 nodes)"), text.out());
    assertTrue(text.out().contains("    signature:   predict  (tensorflow/serving/predict)"), text.out());
    assertTrue(text.out().contains("      input:     x  float[?,3]  (x:0)"), text.out());
    assertTrue(text.out().contains("      output:    y  float[?,3]  (y:0)"), text.out());
    assertTrue(text.out().contains("  conversion:    fails: no signature 'serving_default'; available: predict"), text.out());
    assertFalse(text.out().contains("IR version"), "nothing was converted:\n" + text.out());

    JsonNode json = new ObjectMapper().readTree(run("inspect", model.toString(), "--json").out());
    assertEquals("savedmodel", json.get("format").asText());
    assertTrue(json.get("conversionError").asText().startsWith("no signature 'serving_default'"), json.toString());
    assertEquals(2, json.get("details").size());
    assertEquals("predict  (tensorflow/serving/predict)", json.get("details").get(0).get("children").get(0).get("value").asText());
  }

  @Test
  void anUnsupportedOpIsNamedAfterTheSignatures() throws Exception {
    Path model = savedModel("unsupported", "serving_default", "FrobnicateV7");
    Run text = run("inspect", model.toString());
    assertEquals(0, text.exit(), text.err());
    assertTrue(text.out().contains("    signature:   serving_default  (tensorflow/serving/predict)"), text.out());
    String conversion = text.out().lines().filter(l -> l.startsWith("  conversion:")).findFirst().orElse("");
    assertTrue(conversion.contains("signature 'serving_default'") && conversion.contains("FrobnicateV7"), text.out());
  }

  /** A file that is no SavedModel at all still fails as before. */
  @Test
  void anUnparsableSavedModelFails() throws Exception {
    Path model = Files.createDirectories(dir.resolve("broken"));
    Files.writeString(model.resolve("saved_model.pbtxt"), "meta_graphs { no_such_field: 1 }");
    Run r = run("inspect", model.toString());
    assertEquals(1, r.exit(), r.out());
    assertTrue(r.err().contains("not a valid SavedModel in text form"), r.err());
  }

  /**
   * A SavedModel in text form with two MetaGraphs ({@code serve} and {@code serve,train}), each
   * {@code y = op(x)} with one signature {@code signature}.
   */
  private Path savedModel(String name, String signature, String op) throws Exception {
    String graph = """
          graph_def {
            node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
            node { name: "y" op: "%s" input: "x" attr { key: "T" value { type: DT_FLOAT } } }
          }
          signature_def {
            key: "%s"
            value {
              inputs { key: "x" value { name: "x:0" dtype: DT_FLOAT
                tensor_shape { dim { size: -1 } dim { size: 3 } } } }
              outputs { key: "y" value { name: "y:0" dtype: DT_FLOAT
                tensor_shape { dim { size: -1 } dim { size: 3 } } } }
              method_name: "tensorflow/serving/predict"
            }
          }
        """.formatted(op, signature);
    List<String> metaGraphs = new ArrayList<>();
    for (String tags : List.of("tags: \"serve\"", "tags: \"train\" tags: \"serve\"")) {
      metaGraphs.add("meta_graphs {\n  meta_info_def { " + tags + " }\n" + graph + "}\n");
    }
    Path model = Files.createDirectories(dir.resolve(name));
    Files.writeString(model.resolve("saved_model.pbtxt"), "saved_model_schema_version: 1\n" + String.join("", metaGraphs));
    return model;
  }

  private static Path corpus() {
    Path root = Path.of(System.getProperty("modelbridge.root", "..")).resolve("../shared/corpus").normalize();
    Assumptions.assumeTrue(Files.isDirectory(root), "shared corpus not present");
    return root;
  }
}
