"""Oracle for ModelBridge's shape inference: ONNX's own shape inference over a list of models.

Usage: python3 onnx_infer_tsv.py MODELS_FILE OUT_TSV
MODELS_FILE has one model path per line. Each model is stripped the way the Java test strips it
(value_info removed, graph output shapes removed, in every graph), then inferred with
onnx.shape_inference.infer_shapes(strict_mode=False). Writes one row per value of every graph:
model, graph path, value name, type; the type is "elem_code:dims" with dims comma-separated
(a number, ? for unknown, $name for a symbol) or "elem_code:*" for an unknown rank, "-" when the
value is not a tensor. A model that fails gets one row: model, "!error", message.
"""
import sys

import onnx
from onnx import shape_inference


def strip(graph):
    del graph.value_info[:]
    for o in graph.output:
        if o.type.HasField("tensor_type"):
            o.type.tensor_type.ClearField("shape")
    for n in graph.node:
        for a in n.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                strip(a.g)
            for g in a.graphs:
                strip(g)


def type_text(t):
    if not t.HasField("tensor_type"):
        return "-"
    tt = t.tensor_type
    if not tt.HasField("shape"):
        return "%d:*" % tt.elem_type
    dims = []
    for d in tt.shape.dim:
        if d.HasField("dim_value"):
            dims.append(str(d.dim_value))
        elif d.HasField("dim_param") and d.dim_param:
            dims.append("$" + d.dim_param)
        else:
            dims.append("?")
    return "%d:%s" % (tt.elem_type, ",".join(dims))


def rows(graph, path, model):
    for v in list(graph.value_info) + list(graph.output):
        yield (model, path, v.name, type_text(v.type))
    for n in graph.node:
        for a in n.attribute:
            subs = [a.g] if a.type == onnx.AttributeProto.GRAPH else list(a.graphs)
            for i, g in enumerate(subs):
                sub = "%s/%s:%s%s" % (path, n.name or n.op_type, a.name,
                                      "[%d]" % i if len(subs) > 1 else "")
                yield from rows(g, sub, model)


def main():
    models = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        for path in models:
            try:
                m = onnx.load(path, load_external_data=False)
                strip(m.graph)
                inferred = shape_inference.infer_shapes(m, strict_mode=False)
                for r in rows(inferred.graph, "main", path):
                    out.write("\t".join(r) + "\n")
            except Exception as e:  # one bad model must not hide the others
                msg = str(e).replace("\t", " ").replace("\n", " ")[:300]
                out.write("%s\t!error\t%s\t-\n" % (path, msg))


if __name__ == "__main__":
    main()
