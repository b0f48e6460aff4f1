package dev.modelbridge.e2e.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rule that sorts ONNX Runtime's refusals, on messages ORT 1.24 gives for corpus models. */
class OrtSessionProbeTest {

  @Test
  void invalidGraphsAndInferenceErrorsAreStructural() {
    assertTrue(OrtSessionProbe.structural("ORT_INVALID_GRAPH: load failed:This is an invalid model. In Node, (\"\", Foo,"
        + " \"\", -1) : (\"x\",) -> (\"y\",) , Error No Op registered for Foo with domain_version of 13"));
    assertTrue(OrtSessionProbe.structural("ORT_INVALID_GRAPH: load failed:This is an invalid model. Type Error: Type"
        + " 'tensor(int64)' of input parameter (B) of operator (Add) in node () is invalid."));
    assertTrue(OrtSessionProbe.structural("ORT_FAIL: load failed:Node () Op (Reshape) [ShapeInferenceError] Target shape"
        + " may not have multiple -1 dimensions."));
    assertTrue(OrtSessionProbe.structural("ORT_INVALID_PROTOBUF: load failed:Protobuf parsing failed."));
  }

  @Test
  void runtimeLimitsAreNot() {
    assertFalse(OrtSessionProbe.structural("ORT_FAIL: load failed:void onnxruntime::model_load_utils::"
        + "ValidateOpsetForDomain(...) ONNX Runtime only *guarantees* support for models stamped with official released"
        + " onnx opset versions. Opset 25 is under development and support for this is limited."));
    assertFalse(OrtSessionProbe.structural("ORT_NOT_IMPLEMENTED: Could not find an implementation for Max(13) node with"
        + " name ''"));
    assertFalse(OrtSessionProbe.structural("ORT_FAIL: load failed:Fatal error: ai.onnx.preview.training:Adam(1) is not a"
        + " registered function/op"));
    assertFalse(OrtSessionProbe.structural("ORT_FAIL: Type Error: Type (tensor(float)) of output arg"
        + " (InsertedPrecisionFreeCast_Attention_x_QKAttnCast) of node () does not match expected type (tensor(float16))."));
    assertFalse(OrtSessionProbe.structural("ORT_FAIL: Exception during initialization: onnxruntime::LSTMBase::LSTMBase"
        + " layout_ == 0 was false. Batchwise recurrent operations (layout == 1) are not supported."));
    assertFalse(OrtSessionProbe.structural("ORT_FAIL: load failed:Unsupported model IR version: 13, max supported IR"
        + " version: 11"));
  }

  @Test
  void refusalsTheSpecContradictsAreNot() {
    String irfft = "ORT_FAIL: load failed:Node () Op (DFT) [ShapeInferenceError] is_onesided and inverse attributes"
        + " cannot be enabled at the same time";
    assertFalse(OrtSessionProbe.structural(irfft));
    assertEquals(1, OrtSessionProbe.SPEC_DISAGREEMENTS.stream().filter(d -> irfft.contains(d.fragment())).count());
  }

  @Test
  void reasonsLoseSourceLocationsAndPaths() {
    assertEquals("ORT_FAIL: load failed: Node () Op (DFT) [ShapeInferenceError] x",
        OrtSessionProbe.reason("Error code - ORT_FAIL - message: Load model from /a/b/model.onnx failed: "
            + "/onnxruntime_src/onnxruntime/core/graph/graph.cc:123 Node () Op (DFT) [ShapeInferenceError] x\nmore"));
  }
}
