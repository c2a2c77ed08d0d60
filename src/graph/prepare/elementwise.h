// Prepare of the elementwise families, with the semantics of TFLite Micro's reference kernels at 90b983c2
// for int8, and of TFLite's own kernels (the same reference formulas) for uint8, which TFLite Micro does not
// run. The uint8 formulas are unverified against TFLite-WASM's XNNPACK delegate: no uint8 golden holds
// these operators.
//
// Unary (one 8-bit input x, output of the same dtype and shape; a function of 256 values):
//   LEAKY_RELU:   d = x - zp_in;  out = clamp(zp_out + (d >= 0 ? MBQM(d, identity) : sign * MBQM(d, |alpha|)))
//                 identity = QM(double(float(s_in / s_out))), alpha = QM(double(float(s_in * alpha / s_out)));
//                 a negative alpha keeps its sign apart (MBQM needs a non-negative multiplier).
//   RELU, RELU_N1_TO_1, and RELU6 on uint8 (kRequantizeClamp):
//                 out = clamp(zp_out + MBQM(x - zp_in, QM(double(float(s_in / s_out)))), act)
//                 act = the output range of the activation (CalculateActivationRange).
//   RELU6 on int8 (kClampInput; TFLite Micro's Relu6Quantized, which ignores the output quantization):
//                 out = clamp(x, zp_in, min(127, zp_in + round(6 / s_in)))
//   LOGISTIC, TANH (int8 only; TFLite Micro's reference_integer_ops, gemmlowp fixed point):
//                 d = x - zp_in; |d| >= radius saturates to -128 / 127; else q = MBQM(d, frexp(s_in * 2^27))
//                 is d in Q4.27 and out = clamp(RDPOT(logistic(q), 23) - 128) or clamp(RDPOT(tanh(q), 24));
//                 radius = floor(15 * 2^27 / 2^shift). The output quantization is implied (TFLite Micro only
//                 checks LOGISTIC's zero point, -128).
//   MBQM is MultiplyByQuantizedMultiplier with double rounding, QM QuantizeMultiplier, RDPOT
//   RoundingDivideByPOT.
//
// Binary (two 8-bit inputs broadcast NumPy-style to the output; d1 = x1 - zp1, d2 = x2 - zp2):
//   MUL:          clamp(MBQM(d1 * d2, QM(s1 * s2 / s_out)) + zp_out, act)
//   SUB:          ADD's rescaling (left shift 20, multipliers computed in float as TFLite Micro's SUB does),
//                 clamp(MBQM(r1 - r2, m_out) + zp_out, act)
//   SQUARED_DIFFERENCE: rescaling with left shift 7, r = r1 - r2, clamp(MBQM(r * r, m_out) + zp_out)
//   MAXIMUM, MINIMUM: max/min of the stored values (TFLite Micro ignores the quantization; so do we)
//   PRELU:        x2 is alpha; clamp(zp_out + (d1 >= 0 ? MBQM(d1, m_identity) : MBQM(d1 * d2, m_alpha)))
#pragma once

#include <cstdint>
#include <vector>

#include "common/fixed_point.h"
#include "graph/graph.h"
#include "graph/prepare/add.h"
#include "graph/prepare/common.h"

namespace tinyfuse {

bool IsUnaryOp(OpKind k);   // the table family
bool IsBinaryOp(OpKind k);  // MUL, SUB, MAXIMUM, MINIMUM, SQUARED_DIFFERENCE, PRELU (not ADD)

struct UnaryParams {
  enum class Method : uint8_t { kLeakyRelu, kRequantizeClamp, kClampInput, kLogistic, kTanh };
  OpKind op = OpKind::kRelu;
  Method method = Method::kRequantizeClamp;
  DType dtype = DType::kInt8;
  int64_t size = 0;  // elements
  int32_t input_zero_point = 0;
  int32_t output_zero_point = 0;
  QuantizedMultiplier identity;  // s_in / s_out
  QuantizedMultiplier alpha;     // LEAKY_RELU: |s_in * alpha / s_out|
  bool alpha_negative = false;
  ActivationRange act;           // the final clamp
  QuantizedMultiplier input_q4;  // LOGISTIC, TANH: s_in * 2^27 (the frexp exponent as shift, never halved)
  int32_t input_range_radius = 0;
};

// Throws Error naming the op for dtypes other than int8/uint8, bad quantization or an unusable alpha.
UnaryParams PrepareUnary(const Graph& g, const Op& op);

struct BinaryParams {
  OpKind op = OpKind::kMul;
  DType dtype = DType::kInt8;
  BroadcastMaps maps;
  int32_t input1_zero_point = 0;
  int32_t input2_zero_point = 0;
  int32_t output_zero_point = 0;
  int left_shift = 0;                     // SUB, SQUARED_DIFFERENCE
  QuantizedMultiplier input1_multiplier;  // SUB, SQUARED_DIFFERENCE
  QuantizedMultiplier input2_multiplier;  // SUB, SQUARED_DIFFERENCE
  QuantizedMultiplier output_multiplier;  // MUL, SUB, SQUARED_DIFFERENCE; PRELU: the identity branch
  QuantizedMultiplier alpha_multiplier;   // PRELU: the negative branch
  ActivationRange act;
};

BinaryParams PrepareBinary(const Graph& g, const Op& op);

}  // namespace tinyfuse
