package dev.modelbridge.build;

import dev.modelbridge.ir.Attribute;
import dev.modelbridge.ir.Graph;
import dev.modelbridge.ir.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One node being written by a {@link GraphBuilder}. Set its inputs and attributes, then finish
 * it with one of the {@code output}/{@code outputs} methods, which add the node to the graph and
 * return the names of its outputs. An {@code OpBuilder} finishes once.
 */
public final class OpBuilder {
  private final GraphBuilder owner;
  private final String opType;
  private final Node.Builder node;
  private String name = "";
  private boolean done;

  OpBuilder(GraphBuilder owner, String opType) {
    this.owner = owner;
    this.opType = opType;
    this.node = Node.builder(opType);
  }

  /** Names the node; by default it gets a generated name such as {@code MatMul_0}. */
  public OpBuilder name(String nodeName) {
    name = nodeName;
    return this;
  }

  /** Sets the operator domain, such as {@code com.microsoft}; the default is ai.onnx. */
  public OpBuilder domain(String domain) {
    node.domain(domain);
    return this;
  }

  /** Appends inputs; an empty string is an absent optional input. */
  public OpBuilder inputs(String... names) {
    node.inputs(names);
    return this;
  }

  /** Appends attributes, in the order given. */
  public OpBuilder attr(Attribute... attributes) {
    node.attributes(Arrays.asList(attributes));
    return this;
  }

  /** Appends an {@code int} attribute. */
  public OpBuilder attr(String attrName, long value) {
    return attr(Attribute.of(attrName, value));
  }

  /** Appends a {@code float} attribute. */
  public OpBuilder attr(String attrName, float value) {
    return attr(Attribute.of(attrName, value));
  }

  /** Appends a {@code string} attribute (UTF-8). */
  public OpBuilder attr(String attrName, String value) {
    return attr(Attribute.of(attrName, value));
  }

  /** Appends a {@code graph} attribute, such as an If branch built by {@link GraphBuilder#subgraph}. */
  public OpBuilder attr(String attrName, Graph value) {
    return attr(Attribute.of(attrName, value));
  }

  /** Appends an {@code ints} attribute. */
  public OpBuilder ints(String attrName, long... values) {
    return attr(Attribute.ints(attrName, values));
  }

  /** Finishes the node with one output of a generated name; returns that name. */
  public String output() {
    return outputs(1)[0];
  }

  /** Finishes the node with one output called {@code outputName}; returns it. */
  public String output(String outputName) {
    return outputs(new String[] {outputName})[0];
  }

  /**
   * Finishes the node with {@code count} outputs of generated names: the node's generated base
   * name with {@code _0}, {@code _1}, ... appended (or the base itself for one output).
   */
  public String[] outputs(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("output count must not be negative: " + count);
    }
    start();
    Names names = owner.names();
    String base = names.nextBase(opType, name.isEmpty(), count);
    List<String> outs = Names.outputNames(base, count);
    finish(name.isEmpty() ? base : name, outs);
    return outs.toArray(new String[0]);
  }

  /**
   * Finishes the node with the given output names, in order; an empty name is an optional output
   * that is not produced. With no names the node has no outputs.
   */
  public String[] outputs(String... outputNames) {
    start();
    String nodeName = name.isEmpty() ? owner.names().nextBase(opType, true, 0) : name;
    finish(nodeName, Arrays.asList(outputNames));
    return outputNames.clone();
  }

  private void start() {
    if (done) {
      throw new IllegalStateException(opType + " node is already finished");
    }
    done = true;
  }

  private void finish(String nodeName, List<String> outs) {
    Names names = owner.names();
    // Check every name before recording any, so a failure leaves the builder unchanged.
    List<String> distinct = new ArrayList<>();
    for (String o : outs) {
      if (!o.isEmpty() && distinct.contains(o)) {
        throw new IllegalArgumentException("output '" + o + "' is given twice");
      }
      distinct.add(o);
    }
    names.checkNode(nodeName);
    outs.forEach(names::checkValue);
    names.defineNode(nodeName);
    outs.forEach(names::defineValue);
    owner.addNode(node.name(nodeName).outputs(outs).build());
  }
}
