package dev.modelbridge.api;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Model;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** The files a read model still depends on: its own file and those its tensor data views. */
final class InputFiles {
  private InputFiles() {}

  static Set<Path> of(Path input, Model model) {
    Set<Path> files = new LinkedHashSet<>();
    files.add(input.toAbsolutePath().normalize());
    collect(model.graph(), files);
    model.functions().forEach(f -> f.nodes().forEach(n -> collect(n, files)));
    return files;
  }

  private static void collect(Graph g, Set<Path> files) {
    g.initializers().forEach(t -> add(t, files));
    g.nodes().forEach(n -> collect(n, files));
  }

  private static void collect(Node n, Set<Path> files) {
    for (Attribute a : n.attributes()) {
      if (a instanceof Attribute.TensorAttr t) {
        add(t.value(), files);
      } else if (a instanceof Attribute.TensorsAttr ts) {
        ts.values().forEach(t -> add(t, files));
      }
    }
    n.subgraphs().forEach(g -> collect(g, files));
  }

  private static void add(Tensor t, Set<Path> files) {
    if (t.data() instanceof TensorData.FileRegion r) {
      files.add(r.file().toAbsolutePath().normalize());
    }
  }
}
