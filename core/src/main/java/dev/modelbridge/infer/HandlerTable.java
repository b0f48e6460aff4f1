package dev.modelbridge.infer;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Inference handlers keyed by (domain, op type). Each family of operators registers its handlers
 * in one class; {@link #standard()} lists the families.
 */
public final class HandlerTable {
  private final Map<String, InferenceHandler> handlers = new TreeMap<>();

  /** The handlers of every family, for the default and {@code ai.onnx.ml} domains. */
  public static HandlerTable standard() {
    HandlerTable t = new HandlerTable();
    ElementwiseOps.register(t);
    BroadcastOps.register(t);
    ConvPoolOps.register(t);
    MatrixOps.register(t);
    ShapeOps.register(t);
    IndexOps.register(t);
    ReduceOps.register(t);
    SourceOps.register(t);
    NormOps.register(t);
    ControlFlowOps.register(t);
    SequenceOps.register(t);
    MiscOps.register(t);
    RecurrentOps.register(t);
    return t;
  }

  /** Registers {@code handler} for each op of {@code domain} ({@code ""} is ai.onnx). */
  public HandlerTable register(String domain, InferenceHandler handler, String... ops) {
    for (String op : ops) {
      handlers.put(key(domain, op), handler);
    }
    return this;
  }

  public Optional<InferenceHandler> find(String domain, String op) {
    return Optional.ofNullable(handlers.get(key(domain, op)));
  }

  /** The covered ops as {@code domain:op} ({@code :op} for the default domain), sorted. */
  public java.util.Set<String> ops() {
    return Collections.unmodifiableSet(handlers.keySet());
  }

  private static String key(String domain, String op) {
    String d = "ai.onnx".equals(domain) ? "" : domain;
    return d + ":" + op;
  }
}
