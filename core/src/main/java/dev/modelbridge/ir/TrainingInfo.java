package dev.modelbridge.ir;

import java.util.List;
import java.util.Optional;

/**
 * Training extensions of a model, carried through conversion unchanged: an initialization graph,
 * a training step graph, and the bindings that assign their outputs to initializers.
 */
public record TrainingInfo(
    Optional<Graph> initialization,
    Optional<Graph> algorithm,
    List<StringPair> initializationBinding,
    List<StringPair> updateBinding) {

  public TrainingInfo {
    initializationBinding = List.copyOf(initializationBinding);
    updateBinding = List.copyOf(updateBinding);
  }
}
