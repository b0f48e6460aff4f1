package dev.modelbridge.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelbridge.ModelException;
import dev.modelbridge.UnsupportedModelException;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.ir.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every SavedModel and frozen graph of the shared corpus either converts to the IR or is refused
 * with an {@link UnsupportedModelException} that says why; nothing crashes. Prints the list.
 */
class TfCorpusReadTest {

  static Path corpus() {
    Path root = Path.of(System.getProperty("modelbridge.root", "../..")).resolve("../shared/corpus").normalize();
    Assumptions.assumeTrue(Files.isDirectory(root), "shared corpus not present");
    return root;
  }

  /** SavedModel folders and frozen graphs under tf-savedmodels/ and other/. */
  static List<Path> models() throws IOException {
    Path root = corpus();
    List<Path> out = new ArrayList<>();
    for (String sub : List.of("tf-savedmodels", "other")) {
      try (Stream<Path> s = Files.walk(root.resolve(sub))) {
        s.forEach(p -> {
          if (new SavedModelFormat().detectInFolder(p)) {
            out.add(p);
          } else if (p.getFileName().toString().endsWith(".pb") && !p.getFileName().toString().equals("saved_model.pb")
              && new GraphDefFormat().detect(p)) {
            out.add(p);
          }
        });
      }
    }
    out.sort(null);
    return out;
  }

  static Model read(Path p) throws ModelException {
    return Files.isDirectory(p) ? new SavedModelFormat().read(p, ReadOptions.defaults())
        : new GraphDefFormat().read(p, ReadOptions.defaults());
  }

  @Test
  void everyCorpusModelConvertsOrIsRefusedWithAReason() throws Exception {
    Path root = corpus();
    List<Path> models = models();
    assertTrue(models.size() >= 30, "found " + models.size());
    int converted = 0;
    List<String> crashes = new ArrayList<>();
    for (Path p : models) {
      String rel = root.relativize(p).toString();
      try {
        Model m = read(p);
        converted++;
        System.out.printf("converted  %s: %d nodes, %d initializers%n", rel, m.graph().nodes().size(), m.graph().initializers().size());
      } catch (UnsupportedModelException e) {
        System.out.printf("refused    %s: %s%n", rel, e.getMessage());
      } catch (ModelException e) {
        System.out.printf("invalid    %s: %s%n", rel, e.getMessage());
      } catch (RuntimeException e) {
        crashes.add(rel + ": " + e);
        e.printStackTrace();
      }
    }
    System.out.printf("%d of %d converted%n", converted, models.size());
    assertEquals(List.of(), crashes);
  }
}
