package dev.modelbridge.validate.rules.policy;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import dev.modelbridge.ir.SparseTensor;
import dev.modelbridge.ir.Tensor;
import dev.modelbridge.ir.TensorData;
import dev.modelbridge.validate.RuleContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code policy.model-size}: the model's bytes on disk exceed {@code maxModelBytes}. The size is
 * the model file plus every distinct external-data file its tensors point into (or, for a model
 * that is a folder, every file under it), since that is what a deployment ships.
 */
public final class ModelSizeRule extends PolicyRule {

  public ModelSizeRule() {
    super("policy.model-size", "The model file and its external data together exceed the policy's maximum size.");
  }

  @Override
  public void check(RuleContext context) {
    if (context.policy().maxModelBytes().isEmpty()) {
      return;
    }
    long max = context.policy().maxModelBytes().getAsLong();
    Path file = context.file();
    Set<Path> external = new TreeSet<>();
    for (var scope : context.graphs()) {
      if (scope.owner().isEmpty()) {
        collect(scope.graph(), file, external);
      }
    }
    long total = size(file);
    for (Path p : external) {
      total += size(p);
    }
    if (total > max) {
      String parts = external.isEmpty() ? "" : " (the model file " + size(file) + " bytes and "
          + external.size() + " external data file" + (external.size() == 1 ? "" : "s") + ")";
      context.report(context.fileLocation(), "the model takes " + total + " bytes on disk" + parts
          + "; the policy allows at most " + max + " bytes");
    }
  }

  /** External files of every tensor in {@code g}, its nested graphs and its nodes' attributes. */
  private static void collect(Graph g, Path modelFile, Set<Path> out) {
    g.initializers().forEach(t -> add(t, modelFile, out));
    g.sparseInitializers().forEach(s -> add(s, modelFile, out));
    for (Node n : g.nodes()) {
      for (Attribute a : n.attributes()) {
        if (a instanceof Attribute.TensorAttr t) {
          add(t.value(), modelFile, out);
        } else if (a instanceof Attribute.TensorsAttr ts) {
          ts.values().forEach(t -> add(t, modelFile, out));
        } else if (a instanceof Attribute.SparseTensorAttr s) {
          add(s.value(), modelFile, out);
        } else if (a instanceof Attribute.SparseTensorsAttr ss) {
          ss.values().forEach(s -> add(s, modelFile, out));
        } else if (a instanceof Attribute.GraphAttr ga) {
          collect(ga.value(), modelFile, out);
        } else if (a instanceof Attribute.GraphsAttr gs) {
          gs.values().forEach(sub -> collect(sub, modelFile, out));
        }
      }
    }
  }

  private static void add(SparseTensor s, Path modelFile, Set<Path> out) {
    add(s.values(), modelFile, out);
    add(s.indices(), modelFile, out);
  }

  private static void add(Tensor t, Path modelFile, Set<Path> out) {
    if (t.data() instanceof TensorData.FileRegion r) {
      Path p = r.file().toAbsolutePath().normalize();
      if (!p.equals(modelFile.toAbsolutePath().normalize())) {
        out.add(p);
      }
    }
  }

  private static long size(Path p) {
    try {
      if (Files.isDirectory(p)) {
        try (Stream<Path> all = Files.walk(p)) {
          return all.filter(Files::isRegularFile).mapToLong(ModelSizeRule::size).sum();
        }
      }
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure " + p, e);
    }
  }
}
