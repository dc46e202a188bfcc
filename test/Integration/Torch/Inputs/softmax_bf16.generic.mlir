#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d1, d2)>
#map2 = affine_map<(d0, d1, d2) -> (0, d1, d2)>
#map3 = affine_map<(d0, d1, d2) -> (d0, d2)>
#map4 = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
#map5 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map6 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
"builtin.module"() ({
  "func.func"() <{function_type = (tensor<3x4x5xbf16>) -> (tensor<3x4x5xbf16>, tensor<3x4x5xbf16>, tensor<3x4x5xbf16>), sym_name = "main"}> ({
  ^bb0(%arg0: tensor<3x4x5xbf16>):
    %0 = "arith.constant"() <{value = 0 : i64}> : () -> i64
    %1 = "arith.constant"() <{value = 0xFF800000 : f32}> : () -> f32
    %2 = "arith.constant"() <{value = 0.000000e+00 : f32}> : () -> f32
    %3 = "tensor.empty"() : () -> tensor<3x4x5xf32>
    %4 = "linalg.generic"(%arg0, %3) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg64: bf16, %arg65: f32):
      %75 = "arith.extf"(%arg64) : (bf16) -> f32
      "linalg.yield"(%75) : (f32) -> ()
    }) : (tensor<3x4x5xbf16>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %5 = "tensor.empty"() : () -> tensor<4x5xi64>
    %6 = "linalg.fill"(%0, %5) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg62: i64, %arg63: i64):
      "linalg.yield"(%arg62) : (i64) -> ()
    }) : (i64, tensor<4x5xi64>) -> tensor<4x5xi64>
    %7 = "tensor.empty"() : () -> tensor<4x5xf32>
    %8 = "linalg.fill"(%1, %7) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg60: f32, %arg61: f32):
      "linalg.yield"(%arg60) : (f32) -> ()
    }) : (f32, tensor<4x5xf32>) -> tensor<4x5xf32>
    %9:2 = "linalg.generic"(%4, %8, %6) <{indexing_maps = [#map, #map1, #map1], iterator_types = [#linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 2>}> ({
    ^bb0(%arg57: f32, %arg58: f32, %arg59: i64):
      %70 = "linalg.index"() <{dim = 0 : i64}> : () -> index
      %71 = "arith.index_cast"(%70) : (index) -> i64
      %72 = "arith.maximumf"(%arg57, %arg58) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %73 = "arith.cmpf"(%arg57, %arg58) <{fastmath = #arith.fastmath<none>, predicate = 2 : i64}> : (f32, f32) -> i1
      %74 = "arith.select"(%73, %71, %arg59) : (i1, i64, i64) -> i64
      "linalg.yield"(%72, %74) : (f32, i64) -> ()
    }) : (tensor<3x4x5xf32>, tensor<4x5xf32>, tensor<4x5xi64>) -> (tensor<4x5xf32>, tensor<4x5xi64>)
    %10 = "tensor.expand_shape"(%9#0) <{reassociation = [[0, 1], [2]], static_output_shape = array<i64: 1, 4, 5>}> : (tensor<4x5xf32>) -> tensor<1x4x5xf32>
    %11 = "linalg.generic"(%4, %10, %3) <{indexing_maps = [#map, #map2, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg54: f32, %arg55: f32, %arg56: f32):
      %69 = "arith.subf"(%arg54, %arg55) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%69) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<1x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %12 = "linalg.generic"(%11, %3) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg52: f32, %arg53: f32):
      %68 = "math.exp"(%arg52) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%68) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %13 = "tensor.empty"() : () -> tensor<1x4x5xf32>
    %14 = "linalg.fill"(%2, %13) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg50: f32, %arg51: f32):
      "linalg.yield"(%arg50) : (f32) -> ()
    }) : (f32, tensor<1x4x5xf32>) -> tensor<1x4x5xf32>
    %15 = "linalg.generic"(%12, %14) <{indexing_maps = [#map, #map2], iterator_types = [#linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg48: f32, %arg49: f32):
      %67 = "arith.addf"(%arg48, %arg49) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%67) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<1x4x5xf32>) -> tensor<1x4x5xf32>
    %16 = "linalg.generic"(%12, %15, %3) <{indexing_maps = [#map, #map2, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg45: f32, %arg46: f32, %arg47: f32):
      %66 = "arith.divf"(%arg45, %arg46) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%66) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<1x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %17 = "tensor.empty"() : () -> tensor<3x4x5xbf16>
    %18 = "linalg.generic"(%16, %17) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg43: f32, %arg44: bf16):
      %65 = "arith.truncf"(%arg43) : (f32) -> bf16
      "linalg.yield"(%65) : (bf16) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xbf16>) -> tensor<3x4x5xbf16>
    %19 = "tensor.empty"() : () -> tensor<3x5xi64>
    %20 = "linalg.fill"(%0, %19) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg41: i64, %arg42: i64):
      "linalg.yield"(%arg41) : (i64) -> ()
    }) : (i64, tensor<3x5xi64>) -> tensor<3x5xi64>
    %21 = "tensor.empty"() : () -> tensor<3x5xf32>
    %22 = "linalg.fill"(%1, %21) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg39: f32, %arg40: f32):
      "linalg.yield"(%arg39) : (f32) -> ()
    }) : (f32, tensor<3x5xf32>) -> tensor<3x5xf32>
    %23:2 = "linalg.generic"(%4, %22, %20) <{indexing_maps = [#map, #map3, #map3], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 2>}> ({
    ^bb0(%arg36: f32, %arg37: f32, %arg38: i64):
      %60 = "linalg.index"() <{dim = 1 : i64}> : () -> index
      %61 = "arith.index_cast"(%60) : (index) -> i64
      %62 = "arith.maximumf"(%arg36, %arg37) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %63 = "arith.cmpf"(%arg36, %arg37) <{fastmath = #arith.fastmath<none>, predicate = 2 : i64}> : (f32, f32) -> i1
      %64 = "arith.select"(%63, %61, %arg38) : (i1, i64, i64) -> i64
      "linalg.yield"(%62, %64) : (f32, i64) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x5xf32>, tensor<3x5xi64>) -> (tensor<3x5xf32>, tensor<3x5xi64>)
    %24 = "tensor.expand_shape"(%23#0) <{reassociation = [[0, 1], [2]], static_output_shape = array<i64: 3, 1, 5>}> : (tensor<3x5xf32>) -> tensor<3x1x5xf32>
    %25 = "linalg.generic"(%4, %24, %3) <{indexing_maps = [#map, #map4, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg33: f32, %arg34: f32, %arg35: f32):
      %59 = "arith.subf"(%arg33, %arg34) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%59) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x1x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %26 = "linalg.generic"(%25, %3) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg31: f32, %arg32: f32):
      %58 = "math.exp"(%arg31) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%58) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %27 = "tensor.empty"() : () -> tensor<3x1x5xf32>
    %28 = "linalg.fill"(%2, %27) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg29: f32, %arg30: f32):
      "linalg.yield"(%arg29) : (f32) -> ()
    }) : (f32, tensor<3x1x5xf32>) -> tensor<3x1x5xf32>
    %29 = "linalg.generic"(%26, %28) <{indexing_maps = [#map, #map4], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg27: f32, %arg28: f32):
      %57 = "arith.addf"(%arg27, %arg28) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%57) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x1x5xf32>) -> tensor<3x1x5xf32>
    %30 = "linalg.generic"(%26, %29, %3) <{indexing_maps = [#map, #map4, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg24: f32, %arg25: f32, %arg26: f32):
      %56 = "arith.divf"(%arg24, %arg25) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%56) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x1x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %31 = "linalg.generic"(%30, %17) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg22: f32, %arg23: bf16):
      %55 = "arith.truncf"(%arg22) : (f32) -> bf16
      "linalg.yield"(%55) : (bf16) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xbf16>) -> tensor<3x4x5xbf16>
    %32 = "tensor.empty"() : () -> tensor<3x4xi64>
    %33 = "linalg.fill"(%0, %32) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg20: i64, %arg21: i64):
      "linalg.yield"(%arg20) : (i64) -> ()
    }) : (i64, tensor<3x4xi64>) -> tensor<3x4xi64>
    %34 = "tensor.empty"() : () -> tensor<3x4xf32>
    %35 = "linalg.fill"(%1, %34) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg18: f32, %arg19: f32):
      "linalg.yield"(%arg18) : (f32) -> ()
    }) : (f32, tensor<3x4xf32>) -> tensor<3x4xf32>
    %36:2 = "linalg.generic"(%4, %35, %33) <{indexing_maps = [#map, #map5, #map5], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 2>}> ({
    ^bb0(%arg15: f32, %arg16: f32, %arg17: i64):
      %50 = "linalg.index"() <{dim = 2 : i64}> : () -> index
      %51 = "arith.index_cast"(%50) : (index) -> i64
      %52 = "arith.maximumf"(%arg15, %arg16) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %53 = "arith.cmpf"(%arg15, %arg16) <{fastmath = #arith.fastmath<none>, predicate = 2 : i64}> : (f32, f32) -> i1
      %54 = "arith.select"(%53, %51, %arg17) : (i1, i64, i64) -> i64
      "linalg.yield"(%52, %54) : (f32, i64) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4xf32>, tensor<3x4xi64>) -> (tensor<3x4xf32>, tensor<3x4xi64>)
    %37 = "tensor.expand_shape"(%36#0) <{reassociation = [[0], [1, 2]], static_output_shape = array<i64: 3, 4, 1>}> : (tensor<3x4xf32>) -> tensor<3x4x1xf32>
    %38 = "linalg.generic"(%4, %37, %3) <{indexing_maps = [#map, #map6, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg12: f32, %arg13: f32, %arg14: f32):
      %49 = "arith.subf"(%arg12, %arg13) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%49) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x1xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %39 = "linalg.generic"(%38, %3) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg10: f32, %arg11: f32):
      %48 = "math.exp"(%arg10) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%48) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %40 = "tensor.empty"() : () -> tensor<3x4x1xf32>
    %41 = "linalg.fill"(%2, %40) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg8: f32, %arg9: f32):
      "linalg.yield"(%arg8) : (f32) -> ()
    }) : (f32, tensor<3x4x1xf32>) -> tensor<3x4x1xf32>
    %42 = "linalg.generic"(%39, %41) <{indexing_maps = [#map, #map6], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg6: f32, %arg7: f32):
      %47 = "arith.addf"(%arg6, %arg7) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%47) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x1xf32>) -> tensor<3x4x1xf32>
    %43 = "linalg.generic"(%39, %42, %3) <{indexing_maps = [#map, #map6, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg3: f32, %arg4: f32, %arg5: f32):
      %46 = "arith.divf"(%arg3, %arg4) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%46) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x1xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %44 = "linalg.generic"(%43, %17) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg1: f32, %arg2: bf16):
      %45 = "arith.truncf"(%arg1) : (f32) -> bf16
      "linalg.yield"(%45) : (bf16) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xbf16>) -> tensor<3x4x5xbf16>
    "func.return"(%18, %31, %44) : (tensor<3x4x5xbf16>, tensor<3x4x5xbf16>, tensor<3x4x5xbf16>) -> ()
  }) : () -> ()
}) : () -> ()
