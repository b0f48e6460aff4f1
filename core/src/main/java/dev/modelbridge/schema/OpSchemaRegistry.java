package dev.modelbridge.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The operator schemas of the ONNX domains: {@code ai.onnx} (the default domain, also spelled
 * {@code ""}), {@code ai.onnx.ml}, {@code ai.onnx.preview} and {@code ai.onnx.preview.training},
 * every version of every operator. Immutable and safe to share between threads.
 *
 * <pre>{@code
 * OpSchema conv = OpSchemaRegistry.onnx().lookup("", "Conv", 17).orElseThrow(); // Conv-11
 * }</pre>
 */
public final class OpSchemaRegistry {
  /** The default domain's name. */
  public static final String DEFAULT_DOMAIN = "ai.onnx";
  /** Where the table of {@link #onnx()} is kept on the class path. */
  public static final String RESOURCE = "/dev/modelbridge/schema/onnx-operators.tsv";

  /** domain -> op -> versions, ascending by since-version. */
  private final Map<String, Map<String, List<OpSchema>>> byDomain;
  private final Map<String, Integer> latestVersions;
  private final List<OpSchema> all;

  private OpSchemaRegistry(OpSchemaFormat.Table table) {
    Map<String, Map<String, List<OpSchema>>> map = new TreeMap<>();
    for (OpSchema s : table.schemas()) {
      map.computeIfAbsent(canonicalDomain(s.domain()), d -> new TreeMap<>())
          .computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s);
    }
    map.values().forEach(ops -> ops.replaceAll((n, v) -> v.stream()
        .sorted(Comparator.comparingInt(OpSchema::sinceVersion)).toList()));
    Map<String, Integer> latest = new HashMap<>();
    table.latestVersions().forEach((d, v) -> latest.put(canonicalDomain(d), v));
    this.byDomain = map;
    this.latestVersions = Map.copyOf(latest);
    this.all = map.values().stream().flatMap(ops -> ops.values().stream()).flatMap(List::stream).toList();
  }

  /** The ONNX operator schemas shipped with ModelBridge, loaded on first use. */
  public static OpSchemaRegistry onnx() {
    return Holder.INSTANCE;
  }

  /** A registry of the given table, for tests and generators. */
  public static OpSchemaRegistry of(OpSchemaFormat.Table table) {
    return new OpSchemaRegistry(table);
  }

  /** {@code ai.onnx} for {@code ""}, every other domain as it is. */
  public static String canonicalDomain(String domain) {
    return domain == null || domain.isEmpty() ? DEFAULT_DOMAIN : domain;
  }

  /**
   * The version of {@code opType} in force in operator set {@code opsetVersion} of {@code domain}:
   * the one with the highest since-version not above it. The result may be
   * {@link OpSchema#deprecated() deprecated}, meaning the operator was removed at that version.
   */
  public Optional<OpSchema> lookup(String domain, String opType, long opsetVersion) {
    OpSchema found = null;
    for (OpSchema s : versions(domain, opType)) {
      if (s.sinceVersion() <= opsetVersion) {
        found = s;
      }
    }
    return Optional.ofNullable(found);
  }

  /** Every version of an operator, oldest first; empty when the domain has no such operator. */
  public List<OpSchema> versions(String domain, String opType) {
    return byDomain.getOrDefault(canonicalDomain(domain), Map.of()).getOrDefault(opType, List.of());
  }

  /** Whether this registry has the schemas of {@code domain}. */
  public boolean knowsDomain(String domain) {
    return byDomain.containsKey(canonicalDomain(domain));
  }

  /** The operator set version in which {@code opType} first appears in {@code domain}. */
  public Optional<Long> firstVersion(String domain, String opType) {
    List<OpSchema> v = versions(domain, opType);
    return v.isEmpty() ? Optional.empty() : Optional.of((long) v.get(0).sinceVersion());
  }

  /** The highest operator set version of {@code domain} these schemas cover. */
  public OptionalInt latestVersion(String domain) {
    Integer v = latestVersions.get(canonicalDomain(domain));
    return v == null ? OptionalInt.empty() : OptionalInt.of(v);
  }

  /** The domains, sorted. */
  public Set<String> domains() {
    return new TreeSet<>(byDomain.keySet());
  }

  /** The operator names of a domain, sorted. */
  public Set<String> operators(String domain) {
    return new TreeSet<>(byDomain.getOrDefault(canonicalDomain(domain), Map.of()).keySet());
  }

  /** Every schema, by domain, then operator, then since-version. */
  public List<OpSchema> all() {
    return all;
  }

  private static OpSchemaRegistry load() {
    try (InputStream in = OpSchemaRegistry.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("operator table " + RESOURCE + " is missing from the class path");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      return new OpSchemaRegistry(OpSchemaFormat.read(r.lines().toList()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read operator table " + RESOURCE, e);
    }
  }

  /** Loads the table once, on first use; the JVM's class initialisation makes it thread-safe. */
  private static final class Holder {
    static final OpSchemaRegistry INSTANCE = load();
  }
}
