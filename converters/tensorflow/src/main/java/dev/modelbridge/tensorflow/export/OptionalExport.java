package dev.modelbridge.tensorflow.export;

import org.tensorflow.proto.DataType;

/**
 * Optional, OptionalHasElement and OptionalGetElement where the optional is a plain tensor: a
 * SavedModel signature has no optional type, so a value that is there is the tensor itself and an
 * absent input is known to be empty when converting.
 */
final class OptionalExport implements ExportRegistry.Family {

  @Override
  public void register(ExportRegistry.Builder t) {
    t.add("Optional", 15, OptionalExport::optional);
    t.add("OptionalHasElement", 15, OptionalExport::hasElement);
    t.add("OptionalGetElement", 15, c -> c.bind(0, c.op("Identity", c.input(0))));
  }

  private static void optional(ExportContext c) throws OpExportException {
    if (!c.hasInput(0)) {
      throw new OpExportException("an empty optional has no TensorFlow value");
    }
    c.bind(0, c.op("Identity", c.input(0)));
  }

  /** True for any tensor that is bound; false for a missing input. */
  private static void hasElement(ExportContext c) throws OpExportException {
    boolean present = c.hasInput(0);
    if (present) {
      c.input(0); // a value nothing produced is reported, not taken as present
    }
    c.bind(0, c.g().scalar(c.hint(), DataType.DT_BOOL, present ? 1 : 0));
  }
}
