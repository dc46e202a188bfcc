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
    ^bb0(%arg70: bf16, %arg71: f32):
      %81 = "arith.extf"(%arg70) : (bf16) -> f32
      "linalg.yield"(%81) : (f32) -> ()
    }) : (tensor<3x4x5xbf16>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %5 = "tensor.empty"() : () -> tensor<4x5xi64>
    %6 = "linalg.fill"(%0, %5) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg68: i64, %arg69: i64):
      "linalg.yield"(%arg68) : (i64) -> ()
    }) : (i64, tensor<4x5xi64>) -> tensor<4x5xi64>
    %7 = "tensor.empty"() : () -> tensor<4x5xf32>
    %8 = "linalg.fill"(%1, %7) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg66: f32, %arg67: f32):
      "linalg.yield"(%arg66) : (f32) -> ()
    }) : (f32, tensor<4x5xf32>) -> tensor<4x5xf32>
    %9:2 = "linalg.generic"(%4, %8, %6) <{indexing_maps = [#map, #map1, #map1], iterator_types = [#linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 2>}> ({
    ^bb0(%arg63: f32, %arg64: f32, %arg65: i64):
      %76 = "linalg.index"() <{dim = 0 : i64}> : () -> index
      %77 = "arith.index_cast"(%76) : (index) -> i64
      %78 = "arith.maximumf"(%arg63, %arg64) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %79 = "arith.cmpf"(%arg63, %arg64) <{fastmath = #arith.fastmath<none>, predicate = 2 : i64}> : (f32, f32) -> i1
      %80 = "arith.select"(%79, %77, %arg65) : (i1, i64, i64) -> i64
      "linalg.yield"(%78, %80) : (f32, i64) -> ()
    }) : (tensor<3x4x5xf32>, tensor<4x5xf32>, tensor<4x5xi64>) -> (tensor<4x5xf32>, tensor<4x5xi64>)
    %10 = "tensor.expand_shape"(%9#0) <{reassociation = [[0, 1], [2]], static_output_shape = array<i64: 1, 4, 5>}> : (tensor<4x5xf32>) -> tensor<1x4x5xf32>
    %11 = "linalg.generic"(%4, %10, %3) <{indexing_maps = [#map, #map2, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg60: f32, %arg61: f32, %arg62: f32):
      %75 = "arith.subf"(%arg60, %arg61) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%75) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<1x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %12 = "linalg.generic"(%11, %3) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg58: f32, %arg59: f32):
      %74 = "math.exp"(%arg58) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%74) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %13 = "tensor.empty"() : () -> tensor<1x4x5xf32>
    %14 = "linalg.fill"(%2, %13) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg56: f32, %arg57: f32):
      "linalg.yield"(%arg56) : (f32) -> ()
    }) : (f32, tensor<1x4x5xf32>) -> tensor<1x4x5xf32>
    %15 = "linalg.generic"(%12, %14) <{indexing_maps = [#map, #map2], iterator_types = [#linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg54: f32, %arg55: f32):
      %73 = "arith.addf"(%arg54, %arg55) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%73) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<1x4x5xf32>) -> tensor<1x4x5xf32>
    %16 = "linalg.generic"(%15, %13) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg52: f32, %arg53: f32):
      %72 = "math.log"(%arg52) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%72) : (f32) -> ()
    }) : (tensor<1x4x5xf32>, tensor<1x4x5xf32>) -> tensor<1x4x5xf32>
    %17 = "linalg.generic"(%11, %16, %3) <{indexing_maps = [#map, #map2, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg49: f32, %arg50: f32, %arg51: f32):
      %71 = "arith.subf"(%arg49, %arg50) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%71) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<1x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %18 = "tensor.empty"() : () -> tensor<3x4x5xbf16>
    %19 = "linalg.generic"(%17, %18) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg47: f32, %arg48: bf16):
      %70 = "arith.truncf"(%arg47) : (f32) -> bf16
      "linalg.yield"(%70) : (bf16) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xbf16>) -> tensor<3x4x5xbf16>
    %20 = "tensor.empty"() : () -> tensor<3x5xi64>
    %21 = "linalg.fill"(%0, %20) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg45: i64, %arg46: i64):
      "linalg.yield"(%arg45) : (i64) -> ()
    }) : (i64, tensor<3x5xi64>) -> tensor<3x5xi64>
    %22 = "tensor.empty"() : () -> tensor<3x5xf32>
    %23 = "linalg.fill"(%1, %22) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg43: f32, %arg44: f32):
      "linalg.yield"(%arg43) : (f32) -> ()
    }) : (f32, tensor<3x5xf32>) -> tensor<3x5xf32>
    %24:2 = "linalg.generic"(%4, %23, %21) <{indexing_maps = [#map, #map3, #map3], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 2>}> ({
    ^bb0(%arg40: f32, %arg41: f32, %arg42: i64):
      %65 = "linalg.index"() <{dim = 1 : i64}> : () -> index
      %66 = "arith.index_cast"(%65) : (index) -> i64
      %67 = "arith.maximumf"(%arg40, %arg41) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %68 = "arith.cmpf"(%arg40, %arg41) <{fastmath = #arith.fastmath<none>, predicate = 2 : i64}> : (f32, f32) -> i1
      %69 = "arith.select"(%68, %66, %arg42) : (i1, i64, i64) -> i64
      "linalg.yield"(%67, %69) : (f32, i64) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x5xf32>, tensor<3x5xi64>) -> (tensor<3x5xf32>, tensor<3x5xi64>)
    %25 = "tensor.expand_shape"(%24#0) <{reassociation = [[0, 1], [2]], static_output_shape = array<i64: 3, 1, 5>}> : (tensor<3x5xf32>) -> tensor<3x1x5xf32>
    %26 = "linalg.generic"(%4, %25, %3) <{indexing_maps = [#map, #map4, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg37: f32, %arg38: f32, %arg39: f32):
      %64 = "arith.subf"(%arg37, %arg38) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%64) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x1x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %27 = "linalg.generic"(%26, %3) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg35: f32, %arg36: f32):
      %63 = "math.exp"(%arg35) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%63) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %28 = "tensor.empty"() : () -> tensor<3x1x5xf32>
    %29 = "linalg.fill"(%2, %28) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg33: f32, %arg34: f32):
      "linalg.yield"(%arg33) : (f32) -> ()
    }) : (f32, tensor<3x1x5xf32>) -> tensor<3x1x5xf32>
    %30 = "linalg.generic"(%27, %29) <{indexing_maps = [#map, #map4], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg31: f32, %arg32: f32):
      %62 = "arith.addf"(%arg31, %arg32) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%62) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x1x5xf32>) -> tensor<3x1x5xf32>
    %31 = "linalg.generic"(%30, %28) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg29: f32, %arg30: f32):
      %61 = "math.log"(%arg29) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%61) : (f32) -> ()
    }) : (tensor<3x1x5xf32>, tensor<3x1x5xf32>) -> tensor<3x1x5xf32>
    %32 = "linalg.generic"(%26, %31, %3) <{indexing_maps = [#map, #map4, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg26: f32, %arg27: f32, %arg28: f32):
      %60 = "arith.subf"(%arg26, %arg27) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%60) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x1x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %33 = "linalg.generic"(%32, %18) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg24: f32, %arg25: bf16):
      %59 = "arith.truncf"(%arg24) : (f32) -> bf16
      "linalg.yield"(%59) : (bf16) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xbf16>) -> tensor<3x4x5xbf16>
    %34 = "tensor.empty"() : () -> tensor<3x4xi64>
    %35 = "linalg.fill"(%0, %34) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg22: i64, %arg23: i64):
      "linalg.yield"(%arg22) : (i64) -> ()
    }) : (i64, tensor<3x4xi64>) -> tensor<3x4xi64>
    %36 = "tensor.empty"() : () -> tensor<3x4xf32>
    %37 = "linalg.fill"(%1, %36) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg20: f32, %arg21: f32):
      "linalg.yield"(%arg20) : (f32) -> ()
    }) : (f32, tensor<3x4xf32>) -> tensor<3x4xf32>
    %38:2 = "linalg.generic"(%4, %37, %35) <{indexing_maps = [#map, #map5, #map5], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 2>}> ({
    ^bb0(%arg17: f32, %arg18: f32, %arg19: i64):
      %54 = "linalg.index"() <{dim = 2 : i64}> : () -> index
      %55 = "arith.index_cast"(%54) : (index) -> i64
      %56 = "arith.maximumf"(%arg17, %arg18) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %57 = "arith.cmpf"(%arg17, %arg18) <{fastmath = #arith.fastmath<none>, predicate = 2 : i64}> : (f32, f32) -> i1
      %58 = "arith.select"(%57, %55, %arg19) : (i1, i64, i64) -> i64
      "linalg.yield"(%56, %58) : (f32, i64) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4xf32>, tensor<3x4xi64>) -> (tensor<3x4xf32>, tensor<3x4xi64>)
    %39 = "tensor.expand_shape"(%38#0) <{reassociation = [[0], [1, 2]], static_output_shape = array<i64: 3, 4, 1>}> : (tensor<3x4xf32>) -> tensor<3x4x1xf32>
    %40 = "linalg.generic"(%4, %39, %3) <{indexing_maps = [#map, #map6, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg14: f32, %arg15: f32, %arg16: f32):
      %53 = "arith.subf"(%arg14, %arg15) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%53) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x1xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %41 = "linalg.generic"(%40, %3) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg12: f32, %arg13: f32):
      %52 = "math.exp"(%arg12) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%52) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %42 = "tensor.empty"() : () -> tensor<3x4x1xf32>
    %43 = "linalg.fill"(%2, %42) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg10: f32, %arg11: f32):
      "linalg.yield"(%arg10) : (f32) -> ()
    }) : (f32, tensor<3x4x1xf32>) -> tensor<3x4x1xf32>
    %44 = "linalg.generic"(%41, %43) <{indexing_maps = [#map, #map6], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg8: f32, %arg9: f32):
      %51 = "arith.addf"(%arg8, %arg9) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%51) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x1xf32>) -> tensor<3x4x1xf32>
    %45 = "linalg.generic"(%44, %42) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg6: f32, %arg7: f32):
      %50 = "math.log"(%arg6) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%50) : (f32) -> ()
    }) : (tensor<3x4x1xf32>, tensor<3x4x1xf32>) -> tensor<3x4x1xf32>
    %46 = "linalg.generic"(%40, %45, %3) <{indexing_maps = [#map, #map6, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg3: f32, %arg4: f32, %arg5: f32):
      %49 = "arith.subf"(%arg3, %arg4) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%49) : (f32) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x1xf32>, tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
    %47 = "linalg.generic"(%46, %18) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg1: f32, %arg2: bf16):
      %48 = "arith.truncf"(%arg1) : (f32) -> bf16
      "linalg.yield"(%48) : (bf16) -> ()
    }) : (tensor<3x4x5xf32>, tensor<3x4x5xbf16>) -> tensor<3x4x5xbf16>
    "func.return"(%19, %33, %47) : (tensor<3x4x5xbf16>, tensor<3x4x5xbf16>, tensor<3x4x5xbf16>) -> ()
  }) : () -> ()
}) : () -> ()
