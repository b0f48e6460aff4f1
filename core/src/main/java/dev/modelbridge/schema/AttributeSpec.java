package dev.modelbridge.schema;

import dev.modelbridge.ir.AttributeKind;
import java.util.Optional;

/**
 * An attribute an operator accepts.
 *
 * @param defaultValue the default as ONNX's operator docs write it ({@code 1}, {@code 0.0},
 *     {@code NOTSET}, {@code ['Tanh', 'Tanh']}); empty when the attribute has no default
 */
public record AttributeSpec(String name, AttributeKind kind, boolean required, Optional<String> defaultValue) {}
