package dev.modelbridge.e2e.scale;

import dev.modelbridge.cli.Main;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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

  /**
   * Runs the CLI with {@code cliArgs} in a child JVM limited by {@code heapLimit} (such as
   * {@code -Xmx512m}), logging its output to {@code log} and echoing it, and returns what it
   * measured. Fails the test when the child does not finish in {@code timeoutMinutes}, dies before
   * measuring, or exits with an error; an OutOfMemoryError leaves a heap dump at {@code heapDump}.
   * Extra JVM options come from {@code -Dmodelbridge.scale.jvmArgs} (space-separated).
   */
  public static Measurement runChild(String heapLimit, List<String> cliArgs, Path log, Path heapDump,
      long timeoutMinutes) throws IOException, InterruptedException {
    Files.deleteIfExists(heapDump);
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        heapLimit, "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + heapDump));
    String jvmArgs = System.getProperty("modelbridge.scale.jvmArgs", "").trim();
    if (!jvmArgs.isEmpty()) {
      cmd.addAll(List.of(jvmArgs.split("\\s+")));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MeasuredConvert.class.getName()));
    cmd.addAll(cliArgs);
    Files.createDirectories(log.toAbsolutePath().getParent());
    long start = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("conversion did not finish within " + timeoutMinutes + " minutes: " + String.join(" ", cmd));
    }
    long processMillis = (System.nanoTime() - start) / 1_000_000;
    String out = Files.readString(log);
    System.out.print(out);
    System.out.printf(Locale.ROOT, "child JVM ran %.1f s including start-up%n", processMillis / 1000.0);
    String oom = Files.exists(heapDump) ? " (heap dump at " + heapDump + ")" : "";
    Measurement m = Measurement.find(out).orElseThrow(() -> new AssertionError(
        "the converting JVM exited with " + p.exitValue() + " before measuring" + oom + ":\n" + out));
    if (p.exitValue() != 0 || m.exit() != 0) {
      throw new AssertionError("conversion failed under " + heapLimit + oom + ":\n" + out);
    }
    return m;
  }

  /** One line of figures for a test's summary. */
  public static String summary(String label, String heapLimit, Measurement m) {
    long mib = 1L << 20;
    return String.format(Locale.ROOT,
        "%s under %s: wall %.1f s, peak heap %d MiB (max %d MiB), peak RSS %s, %d GCs (%d ms)",
        label, heapLimit, m.wallMillis() / 1000.0, m.peakHeapBytes() / mib, m.maxHeapBytes() / mib,
        m.peakRssBytes() < 0 ? "unknown" : (m.peakRssBytes() / mib) + " MiB", m.gcCount(), m.gcMillis());
  }

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
