package dev.modelbridge.infer;

/**
 * Infers the output types of one family of operators from what {@link NodeContext} knows of the
 * inputs. A handler sets what it can and leaves the rest unknown; it reports only inputs that can
 * certainly not go together, never what it merely does not know.
 */
@FunctionalInterface
public interface InferenceHandler {

  void infer(NodeContext c);
}
