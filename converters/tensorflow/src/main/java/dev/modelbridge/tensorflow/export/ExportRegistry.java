package dev.modelbridge.tensorflow.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The table of ONNX to TensorFlow handlers, keyed by (domain, op, since-version): the handler in
 * force at an opset is the one with the highest since-version not above it. Each op family
 * registers its handlers in {@link #standard()}, listed here in one place.
 */
public final class ExportRegistry {

  /** A group of related handlers, such as the element-wise ops. */
  public interface Family {
    void register(Builder table);
  }

  /** Key {@code domain:op} (empty domain for ai.onnx) to since-version to handler. */
  private final Map<String, TreeMap<Integer, ExportHandler>> handlers;

  private ExportRegistry(Map<String, TreeMap<Integer, ExportHandler>> handlers) {
    this.handlers = handlers;
  }

  /** Every handler this module has. */
  public static ExportRegistry standard() {
    Builder b = new Builder();
    List<Family> families = List.of(
        new ElementwiseExport(), // unary, binary, comparison and logical ops, activations, Clip, Where
        new MatrixExport(),      // MatMul, Gemm
        new ConvExport(),        // Conv (NCHW via Transposes, OIHW kernels read as HWIO)
        new PoolExport(),        // MaxPool, AveragePool, global pooling
        new NormExport(),        // BatchNormalization, LayerNormalization, Softmax, Gelu
        new StatsNormExport(),   // InstanceNormalization, GroupNormalization, MVN, RMSNormalization, LpNormalization
        new ResizeExport(),      // Resize, Upsample
        new GridSampleExport(),  // GridSample
        new ConvTransposeExport(), // ConvTranspose (input gradient of a VALID convolution, then cropped)
        new CenterCropPadExport(), // CenterCropPad
        new ShapeExport(),       // Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Expand, Shape, Cast...
        new IndexExport(),       // Concat, Gather, Slice, Split
        new ReduceExport(),      // ReduceMean, ReduceSum, ReduceMax...
        new TypeExport(),        // CastLike, Size, IsInf, IsNaN, BitShift, bitwise ops
        new ActivationExport(),  // Mish, HardSwish, Swish, Celu, ThresholdedRelu, Shrink, Hardmax
        new ScatterGatherExport(), // GatherElements, GatherND, ScatterElements, ScatterND, Compress, NonZero
        new PadExport(),         // Pad (constant, reflect, edge, wrap)
        new LayoutExport(),      // Tile, Trilu, DepthToSpace, SpaceToDepth, ReverseSequence, EyeLike, Range
        new SortExport(),        // TopK, CumSum, CumProd, OneHot, Det
        new UniqueExport(),      // Unique
        new AttentionExport(),   // Attention (opset 23, 24)
        new LossExport(),        // NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss
        new RotaryExport(),      // RotaryEmbedding
        new EinsumExport(),      // Einsum (1 or 2 operands)
        new TrainingExport(),    // BatchNormalization (training_mode, from 14), Dropout (training_mode input)
        new QuantizeExport(),    // QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear
        new QuantMatrixExport(), // MatMulInteger, QLinearMatMul, ConvInteger, QLinearConv
        new RecurrentExport(),   // RNN, GRU, LSTM (time loop unrolled)
        new NmsExport(),         // NonMaxSuppression
        new FourierExport(),     // DFT, STFT
        new WindowExport(),      // HannWindow, HammingWindow, BlackmanWindow, MelWeightMatrix
        new StringExport(),      // StringSplit, StringConcat, RegexFullMatch
        new TfIdfExport(),       // TfIdfVectorizer
        new MlExport(),          // ai.onnx.ml LabelEncoder, Binarizer, ArrayFeatureExtractor
        new TreeEnsembleExport(), // ai.onnx.ml TreeEnsemble
        new OptionalExport(),    // Optional, OptionalHasElement, OptionalGetElement on plain tensors
        new UnpoolExport(),      // MaxUnpool
        new ControlFlowExport(), // If, Loop (functional If and While; subgraphs become library functions)
        new ScanExport(),        // Scan (a functional While gathering slices, TensorLists for outputs)
        new SequenceExport(),    // Sequence* ops, ConcatFromSequence, SplitToSequence as TensorLists
        new StringNormalizerExport(), // StringNormalizer (StringLower/Upper, stop words by a mask)
        new LrnExport(),         // LRN (NHWC via Transposes)
        new ConstantOfShapeExport(), // ConstantOfShape as Fill
        new AffineGridExport(),  // AffineGrid (2-D and 3-D, size fed at run time)
        new Col2ImExport(),      // Col2Im (UnsortedSegmentSum into the image)
        new Scan8Export());      // Scan of opset 8 (batch axis): a While over the batch of opset-9 scans
    families.forEach(f -> f.register(b));
    return new ExportRegistry(b.handlers);
  }

  /** The handler for {@code op} of {@code domain} at {@code opset}, if any. */
  public Optional<ExportHandler> handler(String domain, String op, long opset) {
    TreeMap<Integer, ExportHandler> versions = handlers.get(key(domain, op));
    if (versions == null) {
      return Optional.empty();
    }
    Map.Entry<Integer, ExportHandler> e = versions.floorEntry((int) Math.min(opset, Integer.MAX_VALUE));
    return Optional.ofNullable(e).map(Map.Entry::getValue);
  }

  /** Whether some version of {@code op} has a handler. */
  public boolean knows(String domain, String op) {
    return handlers.containsKey(key(domain, op));
  }

  /** One line per op, sorted: {@code Conv (since 1)}, {@code Softmax (since 1, 13)}. */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    handlers.forEach((k, v) -> out.add((k.startsWith(":") ? k.substring(1) : k)
        + " (since " + String.join(", ", v.keySet().stream().map(String::valueOf).toList()) + ")"));
    return out;
  }

  /** The number of ops with a handler. */
  public int size() {
    return handlers.size();
  }

  private static String key(String domain, String op) {
    String d = domain == null || domain.equals("ai.onnx") ? "" : domain;
    return d + ":" + op;
  }

  /** Collects handlers; registering one (op, version) twice is a programming error. */
  public static final class Builder {
    private final Map<String, TreeMap<Integer, ExportHandler>> handlers = new TreeMap<>();

    /** Registers {@code handler} for {@code op} of ai.onnx from opset {@code since}. */
    public Builder add(String op, int since, ExportHandler handler) {
      return add("", op, since, handler);
    }

    /**
     * Registers {@code handler} for {@code op} of {@code domain} (such as ai.onnx.ml). Versions are
     * looked up with the model's ai.onnx opset, so handlers of other domains register from 1 and
     * read the attributes of every version of their op.
     */
    public Builder add(String domain, String op, int since, ExportHandler handler) {
      TreeMap<Integer, ExportHandler> versions = handlers.computeIfAbsent(key(domain, op), k -> new TreeMap<>());
      if (versions.putIfAbsent(since, handler) != null) {
        throw new IllegalStateException("ONNX op " + op + " since " + since + " is registered twice");
      }
      return this;
    }

    /** Registers one handler for several ops, all from opset 1. */
    public Builder add(List<String> ops, ExportHandler handler) {
      ops.forEach(op -> add(op, 1, handler));
      return this;
    }
  }
}
