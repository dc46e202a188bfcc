#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d0)>
#map2 = affine_map<(d0, d1) -> (d0, 0)>
#map3 = affine_map<(d0) -> (d0)>
#map4 = affine_map<(d0) -> ()>
"builtin.module"() ({
  "func.func"() <{function_type = (tensor<6x10xf32>, tensor<6xi64>) -> tensor<f32>, sym_name = "main"}> ({
  ^bb0(%arg0: tensor<6x10xf32>, %arg1: tensor<6xi64>):
    %0 = "arith.constant"() <{value = -100 : i64}> : () -> i64
    %1 = "arith.constant"() <{value = 0 : i64}> : () -> i64
    %2 = "arith.constant"() <{value = 0xFF800000 : f32}> : () -> f32
    %3 = "arith.constant"() <{value = 10 : index}> : () -> index
    %4 = "arith.constant"() <{value = 0.000000e+00 : f32}> : () -> f32
    %5 = "arith.constant"() <{value = dense<0.000000e+00> : tensor<f32>}> : () -> tensor<f32>
    %6 = "arith.constant"() <{value = dense<0> : tensor<i64>}> : () -> tensor<i64>
    %7 = "tensor.empty"() : () -> tensor<6xi64>
    %8 = "linalg.fill"(%1, %7) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg39: i64, %arg40: i64):
      "linalg.yield"(%arg39) : (i64) -> ()
    }) : (i64, tensor<6xi64>) -> tensor<6xi64>
    %9 = "tensor.empty"() : () -> tensor<6xf32>
    %10 = "linalg.fill"(%2, %9) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg37: f32, %arg38: f32):
      "linalg.yield"(%arg37) : (f32) -> ()
    }) : (f32, tensor<6xf32>) -> tensor<6xf32>
    %11:2 = "linalg.generic"(%arg0, %10, %8) <{indexing_maps = [#map, #map1, #map1], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 2>}> ({
    ^bb0(%arg34: f32, %arg35: f32, %arg36: i64):
      %47 = "linalg.index"() <{dim = 1 : i64}> : () -> index
      %48 = "arith.index_cast"(%47) : (index) -> i64
      %49 = "arith.maximumf"(%arg34, %arg35) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %50 = "arith.cmpf"(%arg34, %arg35) <{fastmath = #arith.fastmath<none>, predicate = 2 : i64}> : (f32, f32) -> i1
      %51 = "arith.select"(%50, %48, %arg36) : (i1, i64, i64) -> i64
      "linalg.yield"(%49, %51) : (f32, i64) -> ()
    }) : (tensor<6x10xf32>, tensor<6xf32>, tensor<6xi64>) -> (tensor<6xf32>, tensor<6xi64>)
    %12 = "tensor.expand_shape"(%11#0) <{reassociation = [[0, 1]], static_output_shape = array<i64: 6, 1>}> : (tensor<6xf32>) -> tensor<6x1xf32>
    %13 = "tensor.empty"() : () -> tensor<6x10xf32>
    %14 = "linalg.generic"(%arg0, %12, %13) <{indexing_maps = [#map, #map2, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg31: f32, %arg32: f32, %arg33: f32):
      %46 = "arith.subf"(%arg31, %arg32) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%46) : (f32) -> ()
    }) : (tensor<6x10xf32>, tensor<6x1xf32>, tensor<6x10xf32>) -> tensor<6x10xf32>
    %15 = "linalg.generic"(%14, %13) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg29: f32, %arg30: f32):
      %45 = "math.exp"(%arg29) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%45) : (f32) -> ()
    }) : (tensor<6x10xf32>, tensor<6x10xf32>) -> tensor<6x10xf32>
    %16 = "tensor.empty"() : () -> tensor<6x1xf32>
    %17 = "linalg.fill"(%4, %16) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg27: f32, %arg28: f32):
      "linalg.yield"(%arg27) : (f32) -> ()
    }) : (f32, tensor<6x1xf32>) -> tensor<6x1xf32>
    %18 = "linalg.generic"(%15, %17) <{indexing_maps = [#map, #map2], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg25: f32, %arg26: f32):
      %44 = "arith.addf"(%arg25, %arg26) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%44) : (f32) -> ()
    }) : (tensor<6x10xf32>, tensor<6x1xf32>) -> tensor<6x1xf32>
    %19 = "linalg.generic"(%18, %16) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg23: f32, %arg24: f32):
      %43 = "math.log"(%arg23) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%43) : (f32) -> ()
    }) : (tensor<6x1xf32>, tensor<6x1xf32>) -> tensor<6x1xf32>
    %20 = "linalg.generic"(%14, %19, %13) <{indexing_maps = [#map, #map2, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg20: f32, %arg21: f32, %arg22: f32):
      %42 = "arith.subf"(%arg20, %arg21) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%42) : (f32) -> ()
    }) : (tensor<6x10xf32>, tensor<6x1xf32>, tensor<6x10xf32>) -> tensor<6x10xf32>
    %21 = "tensor.empty"() : () -> tensor<6xi1>
    %22 = "linalg.generic"(%arg1, %21) <{indexing_maps = [#map3, #map3], iterator_types = [#linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg18: i64, %arg19: i1):
      %41 = "arith.cmpi"(%arg18, %0) <{predicate = 1 : i64}> : (i64, i64) -> i1
      "linalg.yield"(%41) : (i1) -> ()
    }) : (tensor<6xi64>, tensor<6xi1>) -> tensor<6xi1>
    %23 = "linalg.generic"(%22, %arg1, %6, %7) <{indexing_maps = [#map3, #map3, #map4, #map3], iterator_types = [#linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 3, 1>}> ({
    ^bb0(%arg14: i1, %arg15: i64, %arg16: i64, %arg17: i64):
      %40 = "arith.select"(%arg14, %arg15, %arg16) : (i1, i64, i64) -> i64
      "linalg.yield"(%40) : (i64) -> ()
    }) : (tensor<6xi1>, tensor<6xi64>, tensor<i64>, tensor<6xi64>) -> tensor<6xi64>
    %24 = "tensor.expand_shape"(%23) <{reassociation = [[0, 1]], static_output_shape = array<i64: 6, 1>}> : (tensor<6xi64>) -> tensor<6x1xi64>
    %25 = "linalg.generic"(%24, %17) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg12: i64, %arg13: f32):
      %35 = "linalg.index"() <{dim = 0 : i64}> : () -> index
      %36 = "arith.index_cast"(%arg12) : (i64) -> index
      %37 = "arith.cmpi"(%36, %3) <{predicate = 2 : i64}> : (index, index) -> i1
      "cf.assert"(%37) <{msg = "index must be smaller than dim size"}> : (i1) -> ()
      %38 = "arith.cmpi"(%arg12, %1) <{predicate = 5 : i64}> : (i64, i64) -> i1
      "cf.assert"(%38) <{msg = "index must be larger or equal to 0"}> : (i1) -> ()
      %39 = "tensor.extract"(%20, %35, %36) : (tensor<6x10xf32>, index, index) -> f32
      "linalg.yield"(%39) : (f32) -> ()
    }) : (tensor<6x1xi64>, tensor<6x1xf32>) -> tensor<6x1xf32>
    %26 = "tensor.collapse_shape"(%25) <{reassociation = [[0, 1]]}> : (tensor<6x1xf32>) -> tensor<6xf32>
    %27 = "linalg.generic"(%26, %9) <{indexing_maps = [#map3, #map3], iterator_types = [#linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg10: f32, %arg11: f32):
      %34 = "arith.negf"(%arg10) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%34) : (f32) -> ()
    }) : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
    %28 = "linalg.generic"(%22, %27, %5, %9) <{indexing_maps = [#map3, #map3, #map4, #map3], iterator_types = [#linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 3, 1>}> ({
    ^bb0(%arg6: i1, %arg7: f32, %arg8: f32, %arg9: f32):
      %33 = "arith.select"(%arg6, %arg7, %arg8) : (i1, f32, f32) -> f32
      "linalg.yield"(%33) : (f32) -> ()
    }) : (tensor<6xi1>, tensor<6xf32>, tensor<f32>, tensor<6xf32>) -> tensor<6xf32>
    %29 = "tensor.empty"() : () -> tensor<f32>
    %30 = "linalg.fill"(%4, %29) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg4: f32, %arg5: f32):
      "linalg.yield"(%arg4) : (f32) -> ()
    }) : (f32, tensor<f32>) -> tensor<f32>
    %31 = "linalg.generic"(%28, %30) <{indexing_maps = [#map3, #map4], iterator_types = [#linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg2: f32, %arg3: f32):
      %32 = "arith.addf"(%arg2, %arg3) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%32) : (f32) -> ()
    }) : (tensor<6xf32>, tensor<f32>) -> tensor<f32>
    "func.return"(%31) : (tensor<f32>) -> ()
  }) : () -> ()
}) : () -> ()
