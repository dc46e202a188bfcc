#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d0)>
#map2 = affine_map<(d0, d1) -> (d0, 0)>
#map3 = affine_map<(d0) -> (d0)>
#map4 = affine_map<(d0) -> ()>
#map5 = affine_map<() -> ()>
"builtin.module"() ({
  "func.func"() <{function_type = (tensor<6x10xf32>, tensor<6xi64>) -> tensor<f32>, sym_name = "main"}> ({
  ^bb0(%arg0: tensor<6x10xf32>, %arg1: tensor<6xi64>):
    %0 = "arith.constant"() <{value = -100 : i64}> : () -> i64
    %1 = "arith.constant"() <{value = 0 : i64}> : () -> i64
    %2 = "arith.constant"() <{value = 0xFF800000 : f32}> : () -> f32
    %3 = "arith.constant"() <{value = 10 : index}> : () -> index
    %4 = "arith.constant"() <{value = 0.000000e+00 : f32}> : () -> f32
    %5 = "arith.constant"() <{value = true}> : () -> i1
    %6 = "arith.constant"() <{value = dense<0.000000e+00> : tensor<f32>}> : () -> tensor<f32>
    %7 = "arith.constant"() <{value = 9.000000e-01 : f64}> : () -> f64
    %8 = "arith.constant"() <{value = 1.000000e-02 : f64}> : () -> f64
    %9 = "arith.constant"() <{value = dense<0> : tensor<i64>}> : () -> tensor<i64>
    %10 = "tensor.empty"() : () -> tensor<6xi64>
    %11 = "linalg.fill"(%1, %10) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg76: i64, %arg77: i64):
      "linalg.yield"(%arg76) : (i64) -> ()
    }) : (i64, tensor<6xi64>) -> tensor<6xi64>
    %12 = "tensor.empty"() : () -> tensor<6xf32>
    %13 = "linalg.fill"(%2, %12) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg74: f32, %arg75: f32):
      "linalg.yield"(%arg74) : (f32) -> ()
    }) : (f32, tensor<6xf32>) -> tensor<6xf32>
    %14:2 = "linalg.generic"(%arg0, %13, %11) <{indexing_maps = [#map, #map1, #map1], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 2>}> ({
    ^bb0(%arg71: f32, %arg72: f32, %arg73: i64):
      %86 = "linalg.index"() <{dim = 1 : i64}> : () -> index
      %87 = "arith.index_cast"(%86) : (index) -> i64
      %88 = "arith.maximumf"(%arg71, %arg72) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %89 = "arith.cmpf"(%arg71, %arg72) <{fastmath = #arith.fastmath<none>, predicate = 2 : i64}> : (f32, f32) -> i1
      %90 = "arith.select"(%89, %87, %arg73) : (i1, i64, i64) -> i64
      "linalg.yield"(%88, %90) : (f32, i64) -> ()
    }) : (tensor<6x10xf32>, tensor<6xf32>, tensor<6xi64>) -> (tensor<6xf32>, tensor<6xi64>)
    %15 = "tensor.expand_shape"(%14#0) <{reassociation = [[0, 1]], static_output_shape = array<i64: 6, 1>}> : (tensor<6xf32>) -> tensor<6x1xf32>
    %16 = "tensor.empty"() : () -> tensor<6x10xf32>
    %17 = "linalg.generic"(%arg0, %15, %16) <{indexing_maps = [#map, #map2, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg68: f32, %arg69: f32, %arg70: f32):
      %85 = "arith.subf"(%arg68, %arg69) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%85) : (f32) -> ()
    }) : (tensor<6x10xf32>, tensor<6x1xf32>, tensor<6x10xf32>) -> tensor<6x10xf32>
    %18 = "linalg.generic"(%17, %16) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg66: f32, %arg67: f32):
      %84 = "math.exp"(%arg66) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%84) : (f32) -> ()
    }) : (tensor<6x10xf32>, tensor<6x10xf32>) -> tensor<6x10xf32>
    %19 = "tensor.empty"() : () -> tensor<6x1xf32>
    %20 = "linalg.fill"(%4, %19) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg64: f32, %arg65: f32):
      "linalg.yield"(%arg64) : (f32) -> ()
    }) : (f32, tensor<6x1xf32>) -> tensor<6x1xf32>
    %21 = "linalg.generic"(%18, %20) <{indexing_maps = [#map, #map2], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg62: f32, %arg63: f32):
      %83 = "arith.addf"(%arg62, %arg63) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%83) : (f32) -> ()
    }) : (tensor<6x10xf32>, tensor<6x1xf32>) -> tensor<6x1xf32>
    %22 = "linalg.generic"(%21, %19) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg60: f32, %arg61: f32):
      %82 = "math.log"(%arg60) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%82) : (f32) -> ()
    }) : (tensor<6x1xf32>, tensor<6x1xf32>) -> tensor<6x1xf32>
    %23 = "linalg.generic"(%17, %22, %16) <{indexing_maps = [#map, #map2, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg57: f32, %arg58: f32, %arg59: f32):
      %81 = "arith.subf"(%arg57, %arg58) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%81) : (f32) -> ()
    }) : (tensor<6x10xf32>, tensor<6x1xf32>, tensor<6x10xf32>) -> tensor<6x10xf32>
    %24 = "tensor.empty"() : () -> tensor<6xi1>
    %25 = "linalg.generic"(%arg1, %24) <{indexing_maps = [#map3, #map3], iterator_types = [#linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg55: i64, %arg56: i1):
      %80 = "arith.cmpi"(%arg55, %0) <{predicate = 1 : i64}> : (i64, i64) -> i1
      "linalg.yield"(%80) : (i1) -> ()
    }) : (tensor<6xi64>, tensor<6xi1>) -> tensor<6xi1>
    %26 = "linalg.generic"(%25, %arg1, %9, %10) <{indexing_maps = [#map3, #map3, #map4, #map3], iterator_types = [#linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 3, 1>}> ({
    ^bb0(%arg51: i1, %arg52: i64, %arg53: i64, %arg54: i64):
      %79 = "arith.select"(%arg51, %arg52, %arg53) : (i1, i64, i64) -> i64
      "linalg.yield"(%79) : (i64) -> ()
    }) : (tensor<6xi1>, tensor<6xi64>, tensor<i64>, tensor<6xi64>) -> tensor<6xi64>
    %27 = "tensor.expand_shape"(%26) <{reassociation = [[0, 1]], static_output_shape = array<i64: 6, 1>}> : (tensor<6xi64>) -> tensor<6x1xi64>
    %28 = "linalg.generic"(%27, %20) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg49: i64, %arg50: f32):
      %74 = "linalg.index"() <{dim = 0 : i64}> : () -> index
      %75 = "arith.index_cast"(%arg49) : (i64) -> index
      %76 = "arith.cmpi"(%75, %3) <{predicate = 2 : i64}> : (index, index) -> i1
      "cf.assert"(%76) <{msg = "index must be smaller than dim size"}> : (i1) -> ()
      %77 = "arith.cmpi"(%arg49, %1) <{predicate = 5 : i64}> : (i64, i64) -> i1
      "cf.assert"(%77) <{msg = "index must be larger or equal to 0"}> : (i1) -> ()
      %78 = "tensor.extract"(%23, %74, %75) : (tensor<6x10xf32>, index, index) -> f32
      "linalg.yield"(%78) : (f32) -> ()
    }) : (tensor<6x1xi64>, tensor<6x1xf32>) -> tensor<6x1xf32>
    %29 = "tensor.collapse_shape"(%28) <{reassociation = [[0, 1]]}> : (tensor<6x1xf32>) -> tensor<6xf32>
    %30 = "linalg.generic"(%29, %12) <{indexing_maps = [#map3, #map3], iterator_types = [#linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg47: f32, %arg48: f32):
      %73 = "arith.negf"(%arg47) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%73) : (f32) -> ()
    }) : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
    %31 = "linalg.generic"(%25, %30, %6, %12) <{indexing_maps = [#map3, #map3, #map4, #map3], iterator_types = [#linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 3, 1>}> ({
    ^bb0(%arg43: i1, %arg44: f32, %arg45: f32, %arg46: f32):
      %72 = "arith.select"(%arg43, %arg44, %arg45) : (i1, f32, f32) -> f32
      "linalg.yield"(%72) : (f32) -> ()
    }) : (tensor<6xi1>, tensor<6xf32>, tensor<f32>, tensor<6xf32>) -> tensor<6xf32>
    %32 = "tensor.empty"() : () -> tensor<i64>
    %33 = "linalg.fill"(%1, %32) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg41: i64, %arg42: i64):
      "linalg.yield"(%arg41) : (i64) -> ()
    }) : (i64, tensor<i64>) -> tensor<i64>
    %34 = "linalg.generic"(%25, %33) <{indexing_maps = [#map3, #map4], iterator_types = [#linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg39: i1, %arg40: i64):
      %70 = "arith.extui"(%arg39) : (i1) -> i64
      %71 = "arith.addi"(%70, %arg40) <{overflowFlags = #arith.overflow<none>}> : (i64, i64) -> i64
      "linalg.yield"(%71) : (i64) -> ()
    }) : (tensor<6xi1>, tensor<i64>) -> tensor<i64>
    %35 = "tensor.empty"() : () -> tensor<f32>
    %36 = "linalg.generic"(%34, %35) <{indexing_maps = [#map5, #map5], iterator_types = [], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg37: i64, %arg38: f32):
      %69 = "arith.sitofp"(%arg37) : (i64) -> f32
      "linalg.yield"(%69) : (f32) -> ()
    }) : (tensor<i64>, tensor<f32>) -> tensor<f32>
    %37 = "linalg.fill"(%4, %35) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg35: f32, %arg36: f32):
      "linalg.yield"(%arg35) : (f32) -> ()
    }) : (f32, tensor<f32>) -> tensor<f32>
    %38 = "linalg.generic"(%31, %37) <{indexing_maps = [#map3, #map4], iterator_types = [#linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg33: f32, %arg34: f32):
      %68 = "arith.addf"(%arg33, %arg34) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%68) : (f32) -> ()
    }) : (tensor<6xf32>, tensor<f32>) -> tensor<f32>
    %39 = "linalg.generic"(%38, %36, %35) <{indexing_maps = [#map5, #map5, #map5], iterator_types = [], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg30: f32, %arg31: f32, %arg32: f32):
      %67 = "arith.divf"(%arg30, %arg31) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%67) : (f32) -> ()
    }) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<f32>
    %40 = "linalg.fill"(%4, %12) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg28: f32, %arg29: f32):
      "linalg.yield"(%arg28) : (f32) -> ()
    }) : (f32, tensor<6xf32>) -> tensor<6xf32>
    %41 = "linalg.generic"(%23, %40) <{indexing_maps = [#map, #map1], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg26: f32, %arg27: f32):
      %66 = "arith.addf"(%arg26, %arg27) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%66) : (f32) -> ()
    }) : (tensor<6x10xf32>, tensor<6xf32>) -> tensor<6xf32>
    %42 = "linalg.generic"(%41, %12) <{indexing_maps = [#map3, #map3], iterator_types = [#linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg24: f32, %arg25: f32):
      %65 = "arith.negf"(%arg24) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%65) : (f32) -> ()
    }) : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
    %43 = "linalg.generic"(%arg1, %24) <{indexing_maps = [#map3, #map3], iterator_types = [#linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg22: i64, %arg23: i1):
      %64 = "arith.cmpi"(%arg22, %0) <{predicate = 0 : i64}> : (i64, i64) -> i1
      "linalg.yield"(%64) : (i1) -> ()
    }) : (tensor<6xi64>, tensor<6xi1>) -> tensor<6xi1>
    %44 = "linalg.generic"(%43, %6, %42, %12) <{indexing_maps = [#map3, #map4, #map3, #map3], iterator_types = [#linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 3, 1>}> ({
    ^bb0(%arg18: i1, %arg19: f32, %arg20: f32, %arg21: f32):
      %63 = "arith.select"(%arg18, %arg19, %arg20) : (i1, f32, f32) -> f32
      "linalg.yield"(%63) : (f32) -> ()
    }) : (tensor<6xi1>, tensor<f32>, tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
    %45 = "linalg.generic"(%43, %24) <{indexing_maps = [#map3, #map3], iterator_types = [#linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg16: i1, %arg17: i1):
      %62 = "arith.xori"(%arg16, %5) : (i1, i1) -> i1
      "linalg.yield"(%62) : (i1) -> ()
    }) : (tensor<6xi1>, tensor<6xi1>) -> tensor<6xi1>
    %46 = "linalg.generic"(%45, %33) <{indexing_maps = [#map3, #map4], iterator_types = [#linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg14: i1, %arg15: i64):
      %60 = "arith.extui"(%arg14) : (i1) -> i64
      %61 = "arith.addi"(%60, %arg15) <{overflowFlags = #arith.overflow<none>}> : (i64, i64) -> i64
      "linalg.yield"(%61) : (i64) -> ()
    }) : (tensor<6xi1>, tensor<i64>) -> tensor<i64>
    %47 = "linalg.generic"(%44, %37) <{indexing_maps = [#map3, #map4], iterator_types = [#linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg12: f32, %arg13: f32):
      %59 = "arith.addf"(%arg12, %arg13) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%59) : (f32) -> ()
    }) : (tensor<6xf32>, tensor<f32>) -> tensor<f32>
    %48 = "linalg.generic"(%47, %46, %35) <{indexing_maps = [#map5, #map5, #map5], iterator_types = [], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg9: f32, %arg10: i64, %arg11: f32):
      %57 = "arith.sitofp"(%arg10) : (i64) -> f32
      %58 = "arith.divf"(%arg9, %57) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%58) : (f32) -> ()
    }) : (tensor<f32>, tensor<i64>, tensor<f32>) -> tensor<f32>
    %49 = "linalg.generic"(%48, %35) <{indexing_maps = [#map5, #map5], iterator_types = [], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg7: f32, %arg8: f32):
      %55 = "arith.truncf"(%8) : (f64) -> f32
      %56 = "arith.mulf"(%arg7, %55) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%56) : (f32) -> ()
    }) : (tensor<f32>, tensor<f32>) -> tensor<f32>
    %50 = "linalg.generic"(%39, %35) <{indexing_maps = [#map5, #map5], iterator_types = [], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg5: f32, %arg6: f32):
      %53 = "arith.truncf"(%7) : (f64) -> f32
      %54 = "arith.mulf"(%arg5, %53) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%54) : (f32) -> ()
    }) : (tensor<f32>, tensor<f32>) -> tensor<f32>
    %51 = "linalg.generic"(%50, %49, %35) <{indexing_maps = [#map5, #map5, #map5], iterator_types = [], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg2: f32, %arg3: f32, %arg4: f32):
      %52 = "arith.addf"(%arg2, %arg3) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%52) : (f32) -> ()
    }) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<f32>
    "func.return"(%51) : (tensor<f32>) -> ()
  }) : () -> ()
}) : () -> ()
