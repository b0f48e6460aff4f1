package dev.modelbridge.schema.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelbridge.schema.OpSchema;
import dev.modelbridge.schema.OpSchemaRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks the operator table against ONNX's Operators.md, a second rendering of the same
 * definitions: each operator's current version there must equal our latest version of it, field
 * by field, and the "other versions" it links must be exactly our older versions.
 */
class OperatorsMdCrossCheckTest {
  private static final Pattern HEADING = Pattern.compile(
      "^### (?:<sub>experimental</sub> )?<a name=\"([^\"]+)\"></a><a name=\"[^\"]*\">\\*\\*[^*]+\\*\\*( \\(deprecated\\))?</a>\\s*$");
  private static final Pattern SINCE = Pattern.compile("since version (\\d+) of");
  private static final Pattern OTHER = Pattern.compile("Changelog[^#]*\\.md#([^\"]+)-(\\d+)\"");

  @Test
  void latestVersionsAgreeWithOperatorsMd() throws IOException {
    Path md = OperatorTableUpToDateTest.repositoryRoot().resolve("../shared/reference/onnx-spec/Operators.md");
    assumeTrue(Files.isRegularFile(md), "no ONNX reference at " + md);
    List<String> lines = Files.readAllLines(md, StandardCharsets.UTF_8);
    List<String> rewritten = new ArrayList<>();
    Map<String, List<Integer>> versions = new TreeMap<>();
    String domain = null;
    boolean started = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("## ai.onnx")) {
        started = true;
        domain = line.substring(3).replace(" (default)", "").strip();
        rewritten.add("# " + line.substring(3));
        continue;
      }
      Matcher h = HEADING.matcher(line);
      if (started && h.matches()) {
        String name = h.group(1);
        int since = -1;
        List<Integer> all = new ArrayList<>();
        for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("### "); j++) {
          Matcher s = SINCE.matcher(lines.get(j));
          if (since < 0 && s.find()) {
            since = Integer.parseInt(s.group(1));
          }
          if (lines.get(j).startsWith("Other versions")) {
            Matcher o = OTHER.matcher(lines.get(j));
            while (o.find()) {
              all.add(Integer.parseInt(o.group(2)));
            }
          }
        }
        if (since < 0) {
          since = 1; // experimental operators say "No versioning maintained" and start at 1
        }
        all.add(since);
        if ("Upsample".equals(name)) {
          all.add(1); // the experimental Upsample-1 is in the changelog but not linked from here
        }
        String bare = name.startsWith(domain + ".") ? name.substring(domain.length() + 1) : name;
        versions.put(domain + " " + bare, all.stream().sorted().toList());
        rewritten.add("### <a name=\"" + name + "-" + since + "\"></a>**" + name + "-" + since + "**"
            + (h.group(2) == null ? "" : h.group(2)) + "</a>");
        continue;
      }
      if (started) {
        rewritten.add(line);
      }
    }
    ChangelogParser parser = new ChangelogParser(true);
    parser.parse(rewritten);
    OpSchemaRegistry ours = OpSchemaRegistry.onnx();
    Map<String, List<String>> differences = new TreeMap<>();
    for (OpSchema current : parser.schemas()) {
      String key = current.domain() + " " + current.name();
      List<OpSchema> ourVersions = ours.versions(current.domain(), current.name());
      List<Integer> since = ourVersions.stream().map(OpSchema::sinceVersion).toList();
      if (!since.equals(versions.get(key))) {
        differences.put(key, List.of("versions " + since + " vs " + versions.get(key)));
        continue;
      }
      List<String> d = current.deprecated() ? List.of()
          : dev.modelbridge.schema.SchemaDiff.diff(ourVersions.get(ourVersions.size() - 1), current);
      if (!d.isEmpty()) {
        differences.put(key, d);
      }
    }
    assertTrue(parser.schemas().size() > 200, "parsed " + parser.schemas().size() + " operators");
    assertEquals(Map.of(), differences, differences.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n")));
    System.out.printf("Operators.md: %d operators agree with the table%n", parser.schemas().size());
  }
}
