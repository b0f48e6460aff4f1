"""Runs onnx.checker.check_model(model, full_check=True) over many models in one process.

Usage: python3 onnx_checker.py LIST_FILE OUT_TSV
LIST_FILE holds one model path a line. OUT_TSV gets one line per model:
    path <TAB> verdict <TAB> ir_version <TAB> opsets <TAB> message
verdict is ok, error (the checker or the loader refused the model) or skip (IR version above 8
or an opset above 17: outside what this onnx release knows). Messages are one line.
Models are loaded with onnx.load (external data next to them included) and never written:
checking by path would run infer_shapes_path, which writes the inferred model back in place.
"""
import sys

import onnx
import onnx.checker

MAX_IR = 8
MAX_OPSET = 17


def one_line(text):
    return " | ".join(line.strip() for line in str(text).splitlines() if line.strip()).replace("\t", " ")


def check(path):
    try:
        model = onnx.load(path)
    except Exception as e:  # noqa: BLE001 - any load failure is a verdict
        return "error", "", "", "load: %s: %s" % (type(e).__name__, one_line(e))
    opsets = ",".join("%s:%d" % (o.domain or "ai.onnx", o.version) for o in model.opset_import)
    if model.ir_version > MAX_IR or any(o.version > MAX_OPSET for o in model.opset_import):
        return "skip", model.ir_version, opsets, ""
    try:
        onnx.checker.check_model(model, full_check=True)
        return "ok", model.ir_version, opsets, ""
    except Exception as e:  # noqa: BLE001 - ValidationError, InferenceError, ...
        return "error", model.ir_version, opsets, "%s: %s" % (type(e).__name__, one_line(e))


def main():
    list_file, out_file = sys.argv[1], sys.argv[2]
    with open(list_file, encoding="utf-8") as f:
        paths = [line.rstrip("\n") for line in f if line.strip()]
    with open(out_file, "w", encoding="utf-8") as out:
        for path in paths:
            verdict, ir, opsets, message = check(path)
            out.write("%s\t%s\t%s\t%s\t%s\n" % (path, verdict, ir, opsets, message))
    print("onnx %s checked %d models" % (onnx.__version__, len(paths)))


if __name__ == "__main__":
    main()
