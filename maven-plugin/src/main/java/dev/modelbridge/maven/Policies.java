package dev.modelbridge.maven;

import dev.modelbridge.validate.Policy;
import dev.modelbridge.validate.Severity;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;

/** The policy of a run: the policy file's (or the defaults), with the goal's parameters on top. */
final class Policies {
  /** The core class that reads policy files; looked up by name so the goal runs with cores that predate it. */
  static final String POLICY_FILE_CLASS = "dev.modelbridge.validate.PolicyFile";

  private Policies() {}

  /**
   * @param file a policy file, or null
   * @param failOn overrides the file's threshold when not null
   * @param strict overrides the file's strict mode when not null
   */
  static Policy of(Path file, Severity failOn, Boolean strict) throws MojoExecutionException {
    Policy policy = file == null ? Policy.defaults() : load(file);
    if (failOn != null) {
      policy = policy.withFailOn(failOn);
    }
    if (strict != null) {
      policy = policy.withStrict(strict);
    }
    return policy;
  }

  private static Policy load(Path file) throws MojoExecutionException {
    if (!Files.isRegularFile(file)) {
      throw new MojoExecutionException("policy file " + file + " does not exist");
    }
    Method load;
    try {
      load = Class.forName(POLICY_FILE_CLASS, true, Policy.class.getClassLoader()).getMethod("load", Path.class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      throw new MojoExecutionException("policyFile needs a ModelBridge core that reads policy files ("
          + POLICY_FILE_CLASS + ".load(Path)); this one does not: set failOn and strict instead", e);
    }
    try {
      return (Policy) load.invoke(null, file);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new MojoExecutionException("cannot use policy file " + file + ": " + cause.getMessage(), cause);
    } catch (IllegalAccessException | ClassCastException e) {
      throw new MojoExecutionException("cannot use policy file " + file + ": " + e, e);
    }
  }
}
