package dev.modelbridge.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Collects the outcome of each case of a run and renders the summary: counts per status per suite,
 * and the non-passing cases with their reasons, grouped so that one cause shared by many models
 * reads as one line.
 */
public final class HarnessReport {

  /** One judged case. */
  public record Entry(BackendCase testCase, Outcome outcome) {}

  private final List<Entry> entries = new ArrayList<>();

  public void add(BackendCase c, Outcome o) {
    entries.add(new Entry(c, o));
  }

  public List<Entry> entries() {
    return List.copyOf(entries);
  }

  public long count(BackendCase.Suite suite, Outcome.Status status) {
    return entries.stream()
        .filter(e -> e.testCase().suite() == suite && e.outcome().status() == status)
        .count();
  }

  public List<Entry> withStatus(Outcome.Status status) {
    return entries.stream().filter(e -> e.outcome().status() == status).toList();
  }

  /** A table of counts: one row per suite, one column per status. */
  public String countsTable() {
    StringBuilder sb = new StringBuilder(String.format("%-8s", "suite"));
    for (Outcome.Status s : Outcome.Status.values()) {
      sb.append(String.format(" %22s", s));
    }
    sb.append(String.format(" %6s%n", "total"));
    for (BackendCase.Suite suite : BackendCase.Suite.values()) {
      sb.append(String.format("%-8s", suite.folder()));
      long total = 0;
      for (Outcome.Status s : Outcome.Status.values()) {
        long n = count(suite, s);
        total += n;
        sb.append(String.format(" %22d", n));
      }
      sb.append(String.format(" %6d%n", total));
    }
    return sb.toString();
  }

  /** The cases of one status grouped by normalized reason, largest group first. */
  public String grouped(Outcome.Status status) {
    Map<String, List<String>> groups = new TreeMap<>();
    for (Entry e : withStatus(status)) {
      groups.computeIfAbsent(normalize(e.outcome().detail()), k -> new ArrayList<>()).add(e.testCase().toString());
    }
    return groups.entrySet().stream()
        .sorted((a, b) -> b.getValue().size() - a.getValue().size())
        .map(g -> String.format("  [%d] %s%n      %s", g.getValue().size(), shorten(g.getKey()), String.join(" ", g.getValue())))
        .collect(Collectors.joining(System.lineSeparator()));
  }

  private static String shorten(String s) {
    return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON) + "…";
  }

  /** Every non-passing case with its full reason, one per line. */
  public String details(Outcome.Status status) {
    return withStatus(status).stream()
        .map(e -> "  " + e.testCase() + ": " + e.outcome().detail())
        .collect(Collectors.joining(System.lineSeparator()));
  }

  /** Writes one tab-separated line per case, for diffing two runs (e.g. original vs round-tripped). */
  public void writeTsv(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    List<String> lines = new ArrayList<>();
    lines.add("suite\tcase\tstatus\tdetail");
    for (Entry e : entries) {
      lines.add(e.testCase().suite().folder() + "\t" + e.testCase().name() + "\t" + e.outcome().status()
          + "\t" + e.outcome().detail().replace('\t', ' '));
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  /** Long enough for any cause seen so far; ORT appends paragraphs of advice after some. */
  private static final int MAX_REASON = 240;
  private static final Pattern PATH = Pattern.compile("(/[^\\s:'\"]+)+\\.onnx");
  private static final Pattern QUOTED_NAME = Pattern.compile("(node with name|name|input|output|Node) '[^']*'");
  private static final Pattern NODE_NAME = Pattern.compile("Node \\([^)]*\\)");

  /** Drops what differs between models with the same cause: paths and node or value names. */
  static String normalize(String reason) {
    String r = PATH.matcher(reason).replaceAll("<model>");
    r = NODE_NAME.matcher(r).replaceAll("Node (…)");
    r = QUOTED_NAME.matcher(r).replaceAll("$1 '…'");
    return r;
  }

  /** Counts per status across all suites. */
  public Map<Outcome.Status, Long> totals() {
    Map<Outcome.Status, Long> m = new EnumMap<>(Outcome.Status.class);
    for (Outcome.Status s : Outcome.Status.values()) {
      m.put(s, entries.stream().filter(e -> e.outcome().status() == s).count());
    }
    return m;
  }
}
