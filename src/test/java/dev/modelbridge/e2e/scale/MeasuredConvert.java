package dev.modelbridge.e2e.scale;

import dev.modelbridge.cli.Main;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Main class of the child JVM in which {@link ScaleConversionTest} runs the CLI: runs
 * {@code Main.run(args)} and then prints one {@value #PREFIX} line with the wall time of the run and
 * the peak memory of the whole process, and exits with the CLI's exit code.
 *
 * <p>A separate JVM is the only way to hold a conversion to {@code -Xmx512m} and to read its peak
 * figures without the test's own allocations (and ONNX Runtime's) mixed in.
 */
public final class MeasuredConvert {
  /** Marks the measurement line among the CLI's own output. */
  public static final String PREFIX = "scale-measure:";

  private static final Pattern LINE = Pattern.compile(
      Pattern.quote(PREFIX) + " exit=(-?\\d+) wall_ms=(\\d+) peak_heap=(\\d+) peak_rss=(-?\\d+) max_heap=(\\d+)"
          + " gc_count=(\\d+) gc_ms=(\\d+)");

  /**
   * What one run measured.
   *
   * @param peakHeapBytes the sum over heap pools of each pool's peak use; pools peak at different
   *     moments, so this is an upper bound of the heap ever in use at once
   * @param peakRssBytes VmHWM, the peak resident set of the process (heap, JIT, metaspace, mapped
   *     pages touched), or -1 where /proc is absent
   */
  public record Measurement(int exit, long wallMillis, long peakHeapBytes, long peakRssBytes,
      long maxHeapBytes, long gcCount, long gcMillis) {

    /** Parses the {@value #PREFIX} line out of the child's output, if it printed one. */
    static Optional<Measurement> find(String output) {
      Matcher m = LINE.matcher(output);
      if (!m.find()) {
        return Optional.empty();
      }
      return Optional.of(new Measurement(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)),
          Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
          Long.parseLong(m.group(6)), Long.parseLong(m.group(7))));
    }
  }

  private MeasuredConvert() {}

  public static void main(String[] args) {
    long start = System.nanoTime();
    int exit = Main.run(args);
    long wall = (System.nanoTime() - start) / 1_000_000;
    long peakHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peakHeap += pool.getPeakUsage().getUsed();
      }
    }
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    System.out.printf(Locale.ROOT, "%s exit=%d wall_ms=%d peak_heap=%d peak_rss=%d max_heap=%d gc_count=%d gc_ms=%d%n",
        PREFIX, exit, wall, peakHeap, peakRss(), Runtime.getRuntime().maxMemory(), gcCount, gcMillis);
    System.out.flush();
    System.exit(exit);
  }

  /** VmHWM from /proc/self/status, in bytes; -1 when unavailable (not Linux). */
  static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          // "VmHWM:    123456 kB"
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Reported as unknown below.
    }
    return -1;
  }
}
