// RUN: nn-opt %s --nn-extend-bf16-through-f32 | FileCheck %s

// bf16 widened past f32 goes through f32 (both steps exact); other
// extensions stay as they are.

// CHECK-LABEL: func.func @to_f64(
// CHECK-SAME:    %[[S:.*]]: bf16, %[[V:.*]]: vector<8xbf16>
// CHECK:         %[[S32:.*]] = arith.extf %[[S]] : bf16 to f32
// CHECK:         %[[S64:.*]] = arith.extf %[[S32]] : f32 to f64
// CHECK:         %[[V32:.*]] = arith.extf %[[V]] : vector<8xbf16> to vector<8xf32>
// CHECK:         %[[V64:.*]] = arith.extf %[[V32]] : vector<8xf32> to vector<8xf64>
// CHECK:         return %[[S64]], %[[V64]]
func.func @to_f64(%s: bf16, %v: vector<8xbf16>) -> (f64, vector<8xf64>) {
  %0 = arith.extf %s : bf16 to f64
  %1 = arith.extf %v : vector<8xbf16> to vector<8xf64>
  return %0, %1 : f64, vector<8xf64>
}

// CHECK-LABEL: func.func @unchanged(
// CHECK-SAME:    %[[B:.*]]: vector<8xbf16>, %[[H:.*]]: vector<8xf16>
// CHECK-NEXT:    %[[B32:.*]] = arith.extf %[[B]] : vector<8xbf16> to vector<8xf32>
// CHECK-NEXT:    %[[H64:.*]] = arith.extf %[[H]] : vector<8xf16> to vector<8xf64>
// CHECK-NEXT:    return %[[B32]], %[[H64]]
func.func @unchanged(%b: vector<8xbf16>, %h: vector<8xf16>) -> (vector<8xf32>, vector<8xf64>) {
  %0 = arith.extf %b : vector<8xbf16> to vector<8xf32>
  %1 = arith.extf %h : vector<8xf16> to vector<8xf64>
  return %0, %1 : vector<8xf32>, vector<8xf64>
}
