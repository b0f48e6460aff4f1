package dev.modelbridge.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a conversion wrote.
 *
 * @param files every file written, the main output last
 * @param bytesWritten total size of those files
 */
public record ConversionResult(
    Path input,
    Path output,
    String fromFormat,
    String toFormat,
    List<Path> files,
    long bytesWritten,
    Duration elapsed) {

  public ConversionResult {
    files = List.copyOf(files);
  }
}
