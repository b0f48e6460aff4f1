package dev.modelbridge.validate;

import dev.modelbridge.ModelIOException;
import dev.modelbridge.json.Json;
import dev.modelbridge.json.SimpleYaml;
import dev.modelbridge.validate.rules.Rules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link Policy} from {@code modelbridge-policy.json} or a YAML file ({@code .yaml},
 * {@code .yml}; the subset {@link SimpleYaml} reads). Every key is optional:
 *
 * <pre>
 * opset: {min: 11, max: 17}          # default-domain (ai.onnx) opset range
 * ops: {allow: [], forbid: [LSTM, com.microsoft:Attention]}   # "domain:Op" outside ai.onnx
 * domains: {allow: [ai.onnx, ai.onnx.ml], forbid: []}
 * maxModelBytes: 500 MB              # or a number of bytes; model file plus external data
 * requiredMetadata: [author, license]
 * failOn: error                      # error | warning | info
 * strict: false
 * severity: {hygiene.unused-input: error}
 * </pre>
 *
 * Unknown keys and unknown rule ids are errors, so that a typo never silently allows everything.
 */
public final class PolicyFile {
  /** The name looked for when no policy file is given. */
  public static final String DEFAULT_NAME = "modelbridge-policy.json";

  private static final Set<String> KEYS = Set.of("$schema", "opset", "ops", "domains", "maxModelBytes",
      "requiredMetadata", "failOn", "strict", "severity");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kKmMgGtT]i?[bB]|[bB])?");

  private final Path file;

  private PolicyFile(Path file) {
    this.file = file;
  }

  /** The policy file in {@code dir}: {@code modelbridge-policy.json}, {@code .yaml} or {@code .yml}. */
  public static Optional<Path> find(Path dir) {
    for (String name : List.of(DEFAULT_NAME, "modelbridge-policy.yaml", "modelbridge-policy.yml")) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Loads a policy file, YAML when its name ends in {@code .yaml} or {@code .yml}, else JSON.
   *
   * @throws ModelIOException when the file cannot be read
   * @throws PolicyException when it is not a valid policy, naming the file and the key
   */
  public static Policy load(Path file) throws ModelIOException, PolicyException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw (ModelIOException) new ModelIOException("cannot read the policy file", e).inFile(file);
    }
    return parse(text, file);
  }

  /** Parses policy text; {@code file} names it in errors and picks the syntax by its extension. */
  public static Policy parse(String text, Path file) throws PolicyException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
    Object tree;
    try {
      tree = yaml ? SimpleYaml.parse(text) : Json.parse(text);
    } catch (Json.SyntaxException e) {
      throw fail(file, null, "not valid " + (yaml ? "YAML (of the supported subset)" : "JSON") + ": " + e.getMessage());
    }
    return new PolicyFile(file).read(tree);
  }

  private Policy read(Object tree) throws PolicyException {
    if (tree == null) {
      return Policy.defaults();
    }
    Map<String, Object> root = map(tree, null);
    for (String key : root.keySet()) {
      if (!KEYS.contains(key)) {
        throw fail(file, key, "unknown key; known keys are " + String.join(", ", new java.util.TreeSet<>(KEYS)));
      }
    }
    Map<String, Object> opset = section(root, "opset", Set.of("min", "max"));
    OptionalLong min = optionalLong(opset.get("min"), "opset.min");
    OptionalLong max = optionalLong(opset.get("max"), "opset.max");
    if (min.isPresent() && max.isPresent() && min.getAsLong() > max.getAsLong()) {
      throw fail(file, "opset", "min " + min.getAsLong() + " is above max " + max.getAsLong());
    }
    Map<String, Object> ops = section(root, "ops", Set.of("allow", "forbid"));
    Map<String, Object> domains = section(root, "domains", Set.of("allow", "forbid"));
    return new Policy(min, max,
        strings(ops.get("allow"), "ops.allow"), strings(ops.get("forbid"), "ops.forbid"),
        domainSet(domains.get("allow"), "domains.allow"), domainSet(domains.get("forbid"), "domains.forbid"),
        size(root.get("maxModelBytes")),
        List.copyOf(strings(root.get("requiredMetadata"), "requiredMetadata")),
        root.containsKey("failOn") ? severity(root.get("failOn"), "failOn") : Severity.ERROR,
        overrides(root.get("severity")),
        root.containsKey("strict") && bool(root.get("strict"), "strict"));
  }

  private Map<String, Object> section(Map<String, Object> root, String key, Set<String> allowed) throws PolicyException {
    Object v = root.get(key);
    if (v == null) {
      return Map.of();
    }
    Map<String, Object> m = map(v, key);
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw fail(file, key + "." + k, "unknown key; expected " + String.join(" or ", new java.util.TreeSet<>(allowed)));
      }
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> map(Object v, String key) throws PolicyException {
    if (!(v instanceof Map)) {
      throw fail(file, key, "must be a mapping of keys to values, got " + describe(v));
    }
    return (Map<String, Object>) v;
  }

  private OptionalLong optionalLong(Object v, String key) throws PolicyException {
    if (v == null) {
      return OptionalLong.empty();
    }
    if (!(v instanceof Long n) || n < 1) {
      throw fail(file, key, "must be a positive integer, got " + describe(v));
    }
    return OptionalLong.of(n);
  }

  private Set<String> strings(Object v, String key) throws PolicyException {
    if (v == null) {
      return Set.of();
    }
    if (!(v instanceof List<?> list)) {
      throw fail(file, key, "must be a list of strings, got " + describe(v));
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object item : list) {
      if (!(item instanceof String s) || s.isBlank()) {
        throw fail(file, key, "must be a list of non-empty strings; found " + describe(item));
      }
      out.add(s.strip());
    }
    return out;
  }

  /** Domain names with the default domain spelled {@code ai.onnx} (an empty name means the same). */
  private Set<String> domainSet(Object v, String key) throws PolicyException {
    if (v instanceof List<?> list && list.contains("")) {
      List<Object> copy = new ArrayList<>(list);
      copy.replaceAll(x -> "".equals(x) ? "ai.onnx" : x);
      v = copy;
    }
    return strings(v, key);
  }

  private OptionalLong size(Object v) throws PolicyException {
    if (v == null) {
      return OptionalLong.empty();
    }
    if (v instanceof Long n && n > 0) {
      return OptionalLong.of(n);
    }
    if (v instanceof String s) {
      Matcher m = SIZE.matcher(s.strip());
      if (m.matches()) {
        return OptionalLong.of(Math.multiplyExact(Long.parseLong(m.group(1)), unit(m.group(2))));
      }
    }
    throw fail(file, "maxModelBytes", "must be a positive number of bytes or a size such as \"500 MB\" or \"2 GiB\", got "
        + describe(v));
  }

  private static long unit(String u) {
    if (u == null || u.equalsIgnoreCase("b")) {
      return 1;
    }
    int power = "kmgt".indexOf(Character.toLowerCase(u.charAt(0))) + 1;
    long base = u.length() == 3 ? 1024 : 1000;
    long f = 1;
    for (int i = 0; i < power; i++) {
      f *= base;
    }
    return f;
  }

  private boolean bool(Object v, String key) throws PolicyException {
    if (!(v instanceof Boolean b)) {
      throw fail(file, key, "must be true or false, got " + describe(v));
    }
    return b;
  }

  private Severity severity(Object v, String key) throws PolicyException {
    if (v instanceof String s) {
      for (Severity sev : Severity.values()) {
        if (sev.name().equalsIgnoreCase(s.strip())) {
          return sev;
        }
      }
    }
    throw fail(file, key, "must be error, warning or info, got " + describe(v));
  }

  private Map<String, Severity> overrides(Object v) throws PolicyException {
    if (v == null) {
      return Map.of();
    }
    Set<String> known = new LinkedHashSet<>();
    Rules.all().forEach(r -> known.add(r.id()));
    Map<String, Severity> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : map(v, "severity").entrySet()) {
      String key = "severity." + e.getKey();
      if (!known.contains(e.getKey())) {
        throw fail(file, key, "unknown rule id '" + e.getKey() + "'; 'modelbridge rules' lists them");
      }
      out.put(e.getKey(), severity(e.getValue(), key));
    }
    return out;
  }

  private static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof String s) {
      return "\"" + s + "\"";
    }
    if (v instanceof Map) {
      return "a mapping";
    }
    if (v instanceof List) {
      return "a list";
    }
    return v.toString();
  }

  private static PolicyException fail(Path file, String key, String detail) {
    PolicyException e = new PolicyException(detail);
    if (key != null) {
      e.within("key '" + key + "'");
    }
    return (PolicyException) e.inFile(file);
  }
}
