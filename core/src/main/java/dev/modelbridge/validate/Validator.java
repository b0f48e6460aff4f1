package dev.modelbridge.validate;

import dev.modelbridge.ModelException;
import dev.modelbridge.api.ModelBridge;
import dev.modelbridge.format.ModelFormat;
import dev.modelbridge.format.ReadOptions;
import dev.modelbridge.ir.Model;
import dev.modelbridge.validate.rules.Rules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Checks model files and returns a report; usable from any JVM code, the CLI and the Maven plugin
 * are thin shells over it. A file that cannot be read at all gets a finding, not an exception.
 *
 * <pre>{@code
 * ValidationReport r = Validator.builder().policy(Policy.defaults()).build().validate(List.of(path));
 * if (r.fails(Severity.ERROR)) { ... }
 * }</pre>
 */
public final class Validator {
  private final ModelBridge bridge;
  private final Policy policy;
  private final List<Rule> rules;
  private final int threads;

  private Validator(Builder b) {
    this.bridge = b.bridge;
    this.policy = b.policy;
    this.rules = List.copyOf(b.rules);
    this.threads = b.threads;
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Rule> rules() {
    return rules;
  }

  public Policy policy() {
    return policy;
  }

  /** Validates the models at each path (files, or folders searched for models), in parallel. */
  public ValidationReport validate(List<Path> paths) {
    long start = System.nanoTime();
    List<Path> files = new ArrayList<>();
    List<ModelReport> reports = new ArrayList<>();
    for (Path p : paths) {
      try {
        files.addAll(bridge.findModels(p));
      } catch (ModelException e) {
        reports.add(unreadable(p, "", e, Duration.ZERO));
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, files.size())));
    try {
      List<Future<ModelReport>> futures = new ArrayList<>();
      for (Path f : files) {
        futures.add(pool.submit(() -> validate(f)));
      }
      for (Future<ModelReport> f : futures) {
        reports.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("validation interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("validation failed unexpectedly", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    List<ValidationReport.RuleInfo> infos = new ArrayList<>(rules.stream()
        .map(r -> new ValidationReport.RuleInfo(r.id(), policy.severityOf(r), r.summary())).toList());
    for (ModelFormat f : bridge.formats().all()) {
      f.nativeRules().forEach(r -> infos.add(
          new ValidationReport.RuleInfo(r.id(), Severity.valueOf(r.level().name()), r.summary())));
    }
    return new ValidationReport(reports, infos, Duration.ofNanos(System.nanoTime() - start));
  }

  /** Validates one model file. */
  public ModelReport validate(Path file) {
    long start = System.nanoTime();
    String format = "";
    Model model;
    List<Finding> findings = new ArrayList<>();
    try {
      ModelFormat f = bridge.detect(file);
      format = f.id();
      boolean irRules = f.checkNative(file, (ruleId, level, where, message) -> findings.add(new Finding(
          ruleId, Severity.valueOf(level.name()), new Location(file.toString(), "", "", where), message)));
      if (!irRules) {
        return new ModelReport(file.toString(), format, findings, Duration.ofNanos(System.nanoTime() - start));
      }
      model = f.read(file, ReadOptions.defaults());
    } catch (ModelException e) {
      return unreadable(file, format, e, Duration.ofNanos(System.nanoTime() - start));
    } catch (RuntimeException | StackOverflowError e) {
      List<Finding> one = List.of(new Finding(ReadFailures.INTERNAL, Severity.ERROR,
          Location.ofFile(file.toString()), "reading failed unexpectedly: " + e));
      return new ModelReport(file.toString(), format, one, Duration.ofNanos(System.nanoTime() - start));
    }
    return check(model, file, format, findings, start);
  }

  /**
   * Validates a model in memory, such as one a conversion is about to write; {@code name} stands
   * for its file in locations.
   */
  public ModelReport validate(Model model, Path name) {
    return check(model, name, "", new ArrayList<>(), System.nanoTime());
  }

  private ModelReport check(Model model, Path file, String format, List<Finding> findings, long start) {
    RuleContext ctx = new RuleContext(model, file, policy, findings);
    for (Rule rule : rules) {
      ctx.runningRule(rule);
      try {
        rule.check(ctx);
      } catch (RuntimeException | StackOverflowError e) {
        findings.add(new Finding(ReadFailures.INTERNAL, Severity.WARNING, ctx.fileLocation(),
            "rule " + rule.id() + " could not finish: " + e));
      }
    }
    return new ModelReport(file.toString(), format, findings, Duration.ofNanos(System.nanoTime() - start));
  }

  private static ModelReport unreadable(Path file, String format, ModelException e, Duration took) {
    Finding f = new Finding(ReadFailures.ruleFor(e), Severity.ERROR,
        new Location(file.toString(), "", "", String.join(": ", e.location())), e.detail());
    return new ModelReport(file.toString(), format, List.of(f), took);
  }

  /** Configures a validator. */
  public static final class Builder {
    private ModelBridge bridge = ModelBridge.create();
    private Policy policy = Policy.defaults();
    private List<Rule> rules = Rules.all();
    private int threads = Runtime.getRuntime().availableProcessors();

    public Builder bridge(ModelBridge b) {
      bridge = b;
      return this;
    }

    public Builder policy(Policy p) {
      policy = p;
      return this;
    }

    public Builder rules(List<Rule> r) {
      rules = List.copyOf(r);
      return this;
    }

    public Builder threads(int n) {
      threads = n;
      return this;
    }

    public Validator build() {
      return new Validator(this);
    }
  }
}
