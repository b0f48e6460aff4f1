# Prints every operator schema that the installed onnx package knows, every version, in the text
# form of dev.modelbridge.schema.OpSchemaFormat, for PythonOnnxSchemaTest to compare with ours.
# Defaults are formatted as ONNX's gen_doc.py formats them in the operator docs.
import sys

import onnx
from onnx import defs, helper

KINDS = {
    "FLOAT": "float", "INT": "int", "STRING": "string", "TENSOR": "tensor", "GRAPH": "graph",
    "FLOATS": "floats", "INTS": "ints", "STRINGS": "strings", "TENSORS": "tensors",
    "GRAPHS": "graphs", "SPARSE_TENSOR": "sparse_tensor", "SPARSE_TENSORS": "sparse_tensors",
    "TYPE_PROTO": "type_proto", "TYPE_PROTOS": "type_protos",
}
UNBOUNDED = 2147483647


def fmt(value):
    if isinstance(value, float):
        formatted = str(round(value, 5))
        if len(formatted) > 10:
            formatted = f"{value:e}"
        return formatted
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8")
    return str(value)


def default(attr):
    d = attr.default_value
    if d is None or d.type == onnx.AttributeProto.UNDEFINED:
        return None
    value = helper.get_attribute_value(d)
    if isinstance(value, list):
        return str([fmt(v) for v in value])
    return fmt(value)


def arity(lo, hi):
    if lo == hi:
        return str(lo)
    return f"{lo}..{'*' if hi >= UNBOUNDED else hi}"


def params(kind, formal, minimum):
    out = []
    for i, p in enumerate(formal):
        option = str(p.option).split(".")[-1]
        if option == "Single":
            opt = "single"
        elif option == "Optional":
            opt = "optional"
        else:
            opt = f"variadic:{max(0, minimum - i)}" + ("" if p.isHomogeneous else ":heterogeneous")
        out.append("\t".join([kind, p.name, p.typeStr, opt]))
    return out


def main():
    lines = []
    for s in sorted(defs.get_all_schemas_with_history(), key=lambda s: (s.domain, s.name, s.since_version)):
        domain = s.domain or "ai.onnx"
        head = ["op", domain, s.name, str(s.since_version),
                "in=" + arity(s.min_input, s.max_input), "out=" + arity(s.min_output, s.max_output)]
        if s.deprecated:
            head.append("deprecated")
        lines.append("\t".join(head))
        lines += params("in", s.inputs, s.min_input)
        lines += params("out", s.outputs, s.min_output)
        for name in sorted(s.attributes):
            a = s.attributes[name]
            kind = KINDS[str(a.type).split(".")[-1]]
            d = default(a)
            tail = "required" if a.required else ("optional" if d is None else "default\t" + d)
            lines.append("\t".join(["attr", name, kind, tail]))
        for c in s.type_constraints:
            lines.append("\t".join(["type", c.type_param_str] + list(c.allowed_type_strs)))
    sys.stdout.write("\n".join(lines) + "\n")


main()
