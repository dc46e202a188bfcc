#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d1, d2)>
#map2 = affine_map<(d0, d1, d2) -> (0, d1, d2)>
#map3 = affine_map<(d0, d1, d2) -> (d0, d2)>
#map4 = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
#map5 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map6 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
"builtin.module"() ({
  "func.func"() <{function_type = (tensor<3x4x5xf16>, tensor<3x4x5xf16>, tensor<3x4x5xf16>) -> (tensor<3x4x5xf16>, tensor<3x4x5xf16>, tensor<3x4x5xf16>), sym_name = "main"}> ({
  ^bb0(%arg0: tensor<3x4x5xf16>, %arg1: tensor<3x4x5xf16>, %arg2: tensor<3x4x5xf16>):
    %0 = "arith.constant"() <{value = 0 : i64}> : () -> i64
    %1 = "arith.constant"() <{value = 0xFF800000 : f32}> : () -> f32
    %2 = "arith.constant"() <{value = 0.000000e+00 : f32}> : () -> f32
    %3 = "tensor.empty"() : () -> tensor<3x4x5xf32>
    %4 = "linalg.generic"(%arg0, %3) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg76: f16, %arg77: f32):
      %85 = "arith.extf"(%arg76) : (f16) -> f32
      "linalg.yield"(%85) : (f32) -> ()
    }) : (tensor<3x4x5xf16>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %5 = "tensor.empty"() : () -> tensor<4x5xi64>
    %6 = "linalg.fill"(%0, %5) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg74: i64, %arg75: i64):
      "linalg.yield"(%arg74) : (i64) -> ()
    }) : (i64, tensor<4x5xi64>) -> tensor<4x5xi64>
    %7 = "tensor.empty"() : () -> tensor<4x5xf32>
    %8 = "linalg.fill"(%1, %7) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg72: f32, %arg73: f32):
      "linalg.yield"(%arg72) : (f32) -> ()
    }) : (f32, tensor<4x5xf32>) -> tensor<4x5xf32>
    %9:2 = "linalg.generic"(%4, %8, %6) <{indexing_maps = [#map, #map1, #map1], iterator_types = [#linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 2>}> ({
    ^bb0(%arg69: f32, %arg70: f32, %arg71: i64):
      %80 = "linalg.index"() <{dim = 0 : i64}> : () -> index
      %81 = "arith.index_cast"(%80) : (index) -> i64
      %82 = "arith.maximumf"(%arg69, %arg70) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %83 = "arith.cmpf"(%arg69, %arg70) <{fastmath = #arith.fastmath<none>, predicate = 2 : i64}> : (f32, f32) -> i1
      %84 = "arith.select"(%83, %81, %arg71) : (i1, i64, i64) -> i64
      "linalg.yield"(%82, %84) : (f32, i64) -> ()
    }) : (tensor<3x4x5xf32>, tensor<4x5xf32>, tensor<4x5xi64>) -> (tensor<4x5xf32>, tensor<4x5xi64>)
    %10 = "tensor.expand_shape"(%9#0) <{reassociation = [[0, 1], [2]], static_output_shape = array<i64: 1, 4, 5>}> : (tensor<4x5xf32>) -> tensor<1x4x5xf32>
    %11 = "linalg.generic"(%4, %10, %3) <{indexing_maps = [#map, #map2, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg66: f32, %arg67: f32, %arg68: f32):
      %79 = "arith.subf"(%arg66, %arg67) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%79) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<1x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %12 = "linalg.generic"(%11, %3) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg64: f32, %arg65: f32):
      %78 = "math.exp"(%arg64) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%78) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %13 = "tensor.empty"() : () -> tensor<1x4x5xf32>
    %14 = "linalg.fill"(%2, %13) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg62: f32, %arg63: f32):
      "linalg.yield"(%arg62) : (f32) -> ()
    }) : (f32, tensor<1x4x5xf32>) -> tensor<1x4x5xf32>
    %15 = "linalg.generic"(%12, %14) <{indexing_maps = [#map, #map2], iterator_types = [#linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg60: f32, %arg61: f32):
      %77 = "arith.addf"(%arg60, %arg61) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%77) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<1x4x5xf32>) -> tensor<1x4x5xf32>
    %16 = "linalg.generic"(%15, %13) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg58: f32, %arg59: f32):
      %76 = "math.log"(%arg58) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%76) : (f32) -> ()
    }) : (tensor<1x4x5xf32>, tensor<1x4x5xf32>) -> tensor<1x4x5xf32>
    %17 = "linalg.generic"(%11, %16, %3) <{indexing_maps = [#map, #map2, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg55: f32, %arg56: f32, %arg57: f32):
      %75 = "arith.subf"(%arg55, %arg56) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%75) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<1x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %18 = "tensor.empty"() : () -> tensor<3x4x5xf16>
    %19 = "linalg.generic"(%17, %18) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg53: f32, %arg54: f16):
      %74 = "arith.truncf"(%arg53) : (f32) -> f16
      "linalg.yield"(%74) : (f16) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xf16>) -> tensor<3x4x5xf16>
    %20 = "linalg.generic"(%arg1, %3) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg51: f16, %arg52: f32):
      %73 = "arith.extf"(%arg51) : (f16) -> f32
      "linalg.yield"(%73) : (f32) -> ()
    }) : (tensor<3x4x5xf16>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %21 = "tensor.empty"() : () -> tensor<3x5xi64>
    %22 = "linalg.fill"(%0, %21) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg49: i64, %arg50: i64):
      "linalg.yield"(%arg49) : (i64) -> ()
    }) : (i64, tensor<3x5xi64>) -> tensor<3x5xi64>
    %23 = "tensor.empty"() : () -> tensor<3x5xf32>
    %24 = "linalg.fill"(%1, %23) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg47: f32, %arg48: f32):
      "linalg.yield"(%arg47) : (f32) -> ()
    }) : (f32, tensor<3x5xf32>) -> tensor<3x5xf32>
    %25:2 = "linalg.generic"(%20, %24, %22) <{indexing_maps = [#map, #map3, #map3], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 2>}> ({
    ^bb0(%arg44: f32, %arg45: f32, %arg46: i64):
      %68 = "linalg.index"() <{dim = 1 : i64}> : () -> index
      %69 = "arith.index_cast"(%68) : (index) -> i64
      %70 = "arith.maximumf"(%arg44, %arg45) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %71 = "arith.cmpf"(%arg44, %arg45) <{fastmath = #arith.fastmath<none>, predicate = 2 : i64}> : (f32, f32) -> i1
      %72 = "arith.select"(%71, %69, %arg46) : (i1, i64, i64) -> i64
      "linalg.yield"(%70, %72) : (f32, i64) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x5xf32>, tensor<3x5xi64>) -> (tensor<3x5xf32>, tensor<3x5xi64>)
    %26 = "tensor.expand_shape"(%25#0) <{reassociation = [[0, 1], [2]], static_output_shape = array<i64: 3, 1, 5>}> : (tensor<3x5xf32>) -> tensor<3x1x5xf32>
    %27 = "linalg.generic"(%20, %26, %3) <{indexing_maps = [#map, #map4, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg41: f32, %arg42: f32, %arg43: f32):
      %67 = "arith.subf"(%arg41, %arg42) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%67) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x1x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %28 = "linalg.generic"(%27, %3) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg39: f32, %arg40: f32):
      %66 = "math.exp"(%arg39) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%66) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %29 = "tensor.empty"() : () -> tensor<3x1x5xf32>
    %30 = "linalg.fill"(%2, %29) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg37: f32, %arg38: f32):
      "linalg.yield"(%arg37) : (f32) -> ()
    }) : (f32, tensor<3x1x5xf32>) -> tensor<3x1x5xf32>
    %31 = "linalg.generic"(%28, %30) <{indexing_maps = [#map, #map4], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg35: f32, %arg36: f32):
      %65 = "arith.addf"(%arg35, %arg36) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%65) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x1x5xf32>) -> tensor<3x1x5xf32>
    %32 = "linalg.generic"(%31, %29) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg33: f32, %arg34: f32):
      %64 = "math.log"(%arg33) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%64) : (f32) -> ()
    }) : (tensor<3x1x5xf32>, tensor<3x1x5xf32>) -> tensor<3x1x5xf32>
    %33 = "linalg.generic"(%27, %32, %3) <{indexing_maps = [#map, #map4, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg30: f32, %arg31: f32, %arg32: f32):
      %63 = "arith.subf"(%arg30, %arg31) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%63) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x1x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %34 = "linalg.generic"(%33, %18) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg28: f32, %arg29: f16):
      %62 = "arith.truncf"(%arg28) : (f32) -> f16
      "linalg.yield"(%62) : (f16) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xf16>) -> tensor<3x4x5xf16>
    %35 = "linalg.generic"(%arg2, %3) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg26: f16, %arg27: f32):
      %61 = "arith.extf"(%arg26) : (f16) -> f32
      "linalg.yield"(%61) : (f32) -> ()
    }) : (tensor<3x4x5xf16>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %36 = "tensor.empty"() : () -> tensor<3x4xi64>
    %37 = "linalg.fill"(%0, %36) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg24: i64, %arg25: i64):
      "linalg.yield"(%arg24) : (i64) -> ()
    }) : (i64, tensor<3x4xi64>) -> tensor<3x4xi64>
    %38 = "tensor.empty"() : () -> tensor<3x4xf32>
    %39 = "linalg.fill"(%1, %38) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg22: f32, %arg23: f32):
      "linalg.yield"(%arg22) : (f32) -> ()
    }) : (f32, tensor<3x4xf32>) -> tensor<3x4xf32>
    %40:2 = "linalg.generic"(%35, %39, %37) <{indexing_maps = [#map, #map5, #map5], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 2>}> ({
    ^bb0(%arg19: f32, %arg20: f32, %arg21: i64):
      %56 = "linalg.index"() <{dim = 2 : i64}> : () -> index
      %57 = "arith.index_cast"(%56) : (index) -> i64
      %58 = "arith.maximumf"(%arg19, %arg20) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %59 = "arith.cmpf"(%arg19, %arg20) <{fastmath = #arith.fastmath<none>, predicate = 2 : i64}> : (f32, f32) -> i1
      %60 = "arith.select"(%59, %57, %arg21) : (i1, i64, i64) -> i64
      "linalg.yield"(%58, %60) : (f32, i64) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4xf32>, tensor<3x4xi64>) -> (tensor<3x4xf32>, tensor<3x4xi64>)
    %41 = "tensor.expand_shape"(%40#0) <{reassociation = [[0], [1, 2]], static_output_shape = array<i64: 3, 4, 1>}> : (tensor<3x4xf32>) -> tensor<3x4x1xf32>
    %42 = "linalg.generic"(%35, %41, %3) <{indexing_maps = [#map, #map6, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg16: f32, %arg17: f32, %arg18: f32):
      %55 = "arith.subf"(%arg16, %arg17) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%55) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x1xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %43 = "linalg.generic"(%42, %3) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg14: f32, %arg15: f32):
      %54 = "math.exp"(%arg14) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%54) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %44 = "tensor.empty"() : () -> tensor<3x4x1xf32>
    %45 = "linalg.fill"(%2, %44) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg12: f32, %arg13: f32):
      "linalg.yield"(%arg12) : (f32) -> ()
    }) : (f32, tensor<3x4x1xf32>) -> tensor<3x4x1xf32>
    %46 = "linalg.generic"(%43, %45) <{indexing_maps = [#map, #map6], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg10: f32, %arg11: f32):
      %53 = "arith.addf"(%arg10, %arg11) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%53) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x1xf32>) -> tensor<3x4x1xf32>
    %47 = "linalg.generic"(%46, %44) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg8: f32, %arg9: f32):
      %52 = "math.log"(%arg8) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%52) : (f32) -> ()
    }) : (tensor<3x4x1xf32>, tensor<3x4x1xf32>) -> tensor<3x4x1xf32>
    %48 = "linalg.generic"(%42, %47, %3) <{indexing_maps = [#map, #map6, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg5: f32, %arg6: f32, %arg7: f32):
      %51 = "arith.subf"(%arg5, %arg6) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%51) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x1xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %49 = "linalg.generic"(%48, %18) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg3: f32, %arg4: f16):
      %50 = "arith.truncf"(%arg3) : (f32) -> f16
      "linalg.yield"(%50) : (f16) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xf16>) -> tensor<3x4x5xf16>
    "func.return"(%19, %34, %49) : (tensor<3x4x5xf16>, tensor<3x4x5xf16>, tensor<3x4x5xf16>) -> ()
  }) : () -> ()
}) : () -> ()
