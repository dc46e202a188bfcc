#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#map3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map4 = affine_map<(d0, d1, d2) -> (d1, d2)>
#map5 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map6 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
"builtin.module"() ({
  "func.func"() <{function_type = (tensor<2x8x16xf32>, tensor<2x8x16xf32>) -> tensor<2x8x8xf32>, sym_name = "main"}> ({
  ^bb0(%arg0: tensor<2x8x16xf32>, %arg1: tensor<2x8x16xf32>):
    %0 = "arith.constant"() <{value = 0.000000e+00 : f32}> : () -> f32
    %1 = "arith.constant"() <{value = 0 : i64}> : () -> i64
    %2 = "arith.constant"() <{value = 0xFF800000 : f32}> : () -> f32
    %3 = "arith.constant"() <{value = dense_resource<torch_tensor_8_8_torch.float32> : tensor<8x8xf32>}> : () -> tensor<8x8xf32>
    %4 = "arith.constant"() <{value = 4.000000e+00 : f32}> : () -> f32
    %5 = "tensor.empty"() : () -> tensor<2x16x8xf32>
    %6 = "linalg.transpose"(%arg1, %5) <{permutation = array<i64: 0, 2, 1>}> ({
    ^bb0(%arg33: f32, %arg34: f32):
      "linalg.yield"(%arg33) : (f32) -> ()
    }) : (tensor<2x8x16xf32>, tensor<2x16x8xf32>) -> tensor<2x16x8xf32>
    %7 = "tensor.empty"() : () -> tensor<2x8x8xf32>
    %8 = "linalg.fill"(%0, %7) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg31: f32, %arg32: f32):
      "linalg.yield"(%arg31) : (f32) -> ()
    }) : (f32, tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
    %9 = "linalg.batch_matmul"(%arg0, %6, %8) <{indexing_maps = [#map, #map1, #map2], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg28: f32, %arg29: f32, %arg30: f32):
      %37 = "arith.mulf"(%arg28, %arg29) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %38 = "arith.addf"(%arg30, %37) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%38) : (f32) -> ()
    }) : (tensor<2x8x16xf32>, tensor<2x16x8xf32>, tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
    %10 = "linalg.generic"(%9, %7) <{indexing_maps = [#map3, #map3], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg26: f32, %arg27: f32):
      %36 = "arith.divf"(%arg26, %4) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%36) : (f32) -> ()
    }) : (tensor<2x8x8xf32>, tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
    %11 = "linalg.generic"(%10, %3, %7) <{indexing_maps = [#map3, #map4, #map3], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg23: f32, %arg24: f32, %arg25: f32):
      %35 = "arith.addf"(%arg23, %arg24) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%35) : (f32) -> ()
    }) : (tensor<2x8x8xf32>, tensor<8x8xf32>, tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
    %12 = "tensor.empty"() : () -> tensor<2x8xi64>
    %13 = "linalg.fill"(%1, %12) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg21: i64, %arg22: i64):
      "linalg.yield"(%arg21) : (i64) -> ()
    }) : (i64, tensor<2x8xi64>) -> tensor<2x8xi64>
    %14 = "tensor.empty"() : () -> tensor<2x8xf32>
    %15 = "linalg.fill"(%2, %14) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg19: f32, %arg20: f32):
      "linalg.yield"(%arg19) : (f32) -> ()
    }) : (f32, tensor<2x8xf32>) -> tensor<2x8xf32>
    %16:2 = "linalg.generic"(%11, %15, %13) <{indexing_maps = [#map3, #map5, #map5], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 2>}> ({
    ^bb0(%arg16: f32, %arg17: f32, %arg18: i64):
      %30 = "linalg.index"() <{dim = 2 : i64}> : () -> index
      %31 = "arith.index_cast"(%30) : (index) -> i64
      %32 = "arith.maximumf"(%arg16, %arg17) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %33 = "arith.cmpf"(%arg16, %arg17) <{fastmath = #arith.fastmath<none>, predicate = 2 : i64}> : (f32, f32) -> i1
      %34 = "arith.select"(%33, %31, %arg18) : (i1, i64, i64) -> i64
      "linalg.yield"(%32, %34) : (f32, i64) -> ()
    }) : (tensor<2x8x8xf32>, tensor<2x8xf32>, tensor<2x8xi64>) -> (tensor<2x8xf32>, tensor<2x8xi64>)
    %17 = "tensor.expand_shape"(%16#0) <{reassociation = [[0], [1, 2]], static_output_shape = array<i64: 2, 8, 1>}> : (tensor<2x8xf32>) -> tensor<2x8x1xf32>
    %18 = "linalg.generic"(%11, %17, %7) <{indexing_maps = [#map3, #map6, #map3], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg13: f32, %arg14: f32, %arg15: f32):
      %29 = "arith.subf"(%arg13, %arg14) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%29) : (f32) -> ()
    }) : (tensor<2x8x8xf32>, tensor<2x8x1xf32>, tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
    %19 = "linalg.generic"(%18, %7) <{indexing_maps = [#map3, #map3], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg11: f32, %arg12: f32):
      %28 = "math.exp"(%arg11) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%28) : (f32) -> ()
    }) : (tensor<2x8x8xf32>, tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
    %20 = "tensor.empty"() : () -> tensor<2x8x1xf32>
    %21 = "linalg.fill"(%0, %20) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg9: f32, %arg10: f32):
      "linalg.yield"(%arg9) : (f32) -> ()
    }) : (f32, tensor<2x8x1xf32>) -> tensor<2x8x1xf32>
    %22 = "linalg.generic"(%19, %21) <{indexing_maps = [#map3, #map6], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg7: f32, %arg8: f32):
      %27 = "arith.addf"(%arg7, %arg8) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%27) : (f32) -> ()
    }) : (tensor<2x8x8xf32>, tensor<2x8x1xf32>) -> tensor<2x8x1xf32>
    %23 = "linalg.generic"(%22, %20) <{indexing_maps = [#map3, #map3], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg5: f32, %arg6: f32):
      %26 = "math.log"(%arg5) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%26) : (f32) -> ()
    }) : (tensor<2x8x1xf32>, tensor<2x8x1xf32>) -> tensor<2x8x1xf32>
    %24 = "linalg.generic"(%18, %23, %7) <{indexing_maps = [#map3, #map6, #map3], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg2: f32, %arg3: f32, %arg4: f32):
      %25 = "arith.subf"(%arg2, %arg3) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%25) : (f32) -> ()
    }) : (tensor<2x8x8xf32>, tensor<2x8x1xf32>, tensor<2x8x8xf32>) -> tensor<2x8x8xf32>
    "func.return"(%24) : (tensor<2x8x8xf32>) -> ()
  }) : () -> ()
}) : () -> ()

{-#
  dialect_resources: {
    builtin: {
      torch_tensor_8_8_torch.float32: "0x0400000000000000000080FF000080FF000080FF000080FF000080FF000080FF000080FF0000000000000000000080FF000080FF000080FF000080FF000080FF000080FF000000000000000000000000000080FF000080FF000080FF000080FF000080FF00000000000000000000000000000000000080FF000080FF000080FF000080FF0000000000000000000000000000000000000000000080FF000080FF000080FF000000000000000000000000000000000000000000000000000080FF000080FF00000000000000000000000000000000000000000000000000000000000080FF0000000000000000000000000000000000000000000000000000000000000000"
    }
  }
#-}
