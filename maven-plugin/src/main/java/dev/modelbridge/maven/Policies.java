package dev.modelbridge.maven;

import dev.modelbridge.validate.Policy;
import dev.modelbridge.validate.Severity;
import dev.modelbridge.ModelException;
import dev.modelbridge.validate.PolicyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;

/** The policy of a run: the policy file's (or the defaults), with the goal's parameters on top. */
final class Policies {
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
    try {
      return PolicyFile.load(file);
    } catch (ModelException e) {
      throw new MojoExecutionException("cannot use policy file: " + e.getMessage(), e);
    }
  }
}
