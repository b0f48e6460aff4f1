package dev.modelbridge.format;

/**
 * Resource limits a reader checks before it allocates, so that a hostile or broken file ends in a
 * typed error instead of a stack overflow, an out-of-memory or a hang. The defaults are far above
 * what real models need; raise them through {@link ReadOptions#withLimits(Limits)} for an
 * exceptional model.
 *
 * @param maxGraphDepth subgraphs nested in attributes (If/Loop/Scan bodies) below the main graph
 * @param maxMessageDepth protobuf message nesting while parsing (a nested graph costs about four levels)
 * @param maxNodes nodes in a model, all graphs and function bodies together (after TensorFlow
 *     function inlining)
 * @param maxCallDepth nested function calls while TensorFlow functions are inlined
 * @param maxExpandedBytes bytes a tensor may take once expanded from a shorter encoding (a
 *     TensorFlow constant whose few values are repeated to fill its shape)
 */
public record Limits(int maxGraphDepth, int maxMessageDepth, long maxNodes, int maxCallDepth, long maxExpandedBytes) {

  /** Nested graphs; real models rarely pass 10. */
  public static final int DEFAULT_GRAPH_DEPTH = 64;
  /** Protobuf nesting: room for {@link #DEFAULT_GRAPH_DEPTH} graphs and their attributes. */
  public static final int DEFAULT_MESSAGE_DEPTH = 400;
  /** Nodes; the largest published models have tens of thousands; a million IR nodes take about 0.5 GiB of heap. */
  public static final long DEFAULT_NODES = 1_000_000;
  /** Function call nesting during inlining. */
  public static final int DEFAULT_CALL_DEPTH = 64;
  /** 256 MiB: a constant expanded beyond this is refused rather than built on the heap. */
  public static final long DEFAULT_EXPANDED_BYTES = 256L << 20;

  public Limits {
    if (maxGraphDepth < 1 || maxMessageDepth < 1 || maxNodes < 1 || maxCallDepth < 1 || maxExpandedBytes < 0) {
      throw new IllegalArgumentException("limits must be positive: " + maxGraphDepth + ", " + maxMessageDepth
          + ", " + maxNodes + ", " + maxCallDepth + ", " + maxExpandedBytes);
    }
  }

  /** The safe defaults. */
  public static Limits defaults() {
    return new Limits(DEFAULT_GRAPH_DEPTH, DEFAULT_MESSAGE_DEPTH, DEFAULT_NODES, DEFAULT_CALL_DEPTH,
        DEFAULT_EXPANDED_BYTES);
  }

  public Limits withMaxGraphDepth(int n) {
    return new Limits(n, maxMessageDepth, maxNodes, maxCallDepth, maxExpandedBytes);
  }

  public Limits withMaxMessageDepth(int n) {
    return new Limits(maxGraphDepth, n, maxNodes, maxCallDepth, maxExpandedBytes);
  }

  public Limits withMaxNodes(long n) {
    return new Limits(maxGraphDepth, maxMessageDepth, n, maxCallDepth, maxExpandedBytes);
  }

  public Limits withMaxCallDepth(int n) {
    return new Limits(maxGraphDepth, maxMessageDepth, maxNodes, n, maxExpandedBytes);
  }

  public Limits withMaxExpandedBytes(long n) {
    return new Limits(maxGraphDepth, maxMessageDepth, maxNodes, maxCallDepth, n);
  }
}
