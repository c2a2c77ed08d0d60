// Names of TFLite enum values, for error messages and printing. Plain lookup tables of the upstream
// values; nothing here knows flatbuffers.
#pragma once

#include <string>

namespace tinyfuse {

// "RESIZE_BILINEAR" for 23; nullptr for codes without a name in our table (StableHLO codes and above).
const char* BuiltinOperatorName(int code);
// "RESIZE_BILINEAR (code 23)" or "unknown operator (code 999)".
std::string DescribeBuiltinOperator(int code);

// "FLOAT32" for 0; nullptr for unknown values.
const char* TensorTypeName(int type);
// "FLOAT32" or "unknown type 99".
std::string DescribeTensorType(int type);

// "Conv2DOptions" for union type 1; nullptr for option tables our schema does not declare.
const char* BuiltinOptionsName(int type);
// "Conv2DOptions (type 1)" or "options (type 15)".
std::string DescribeBuiltinOptions(int type);

// "TANH" for 4; nullptr for unknown values.
const char* ActivationFunctionName(int activation);

}  // namespace tinyfuse
