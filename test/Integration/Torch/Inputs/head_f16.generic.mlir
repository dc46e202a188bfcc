#map = affine_map<(d0) -> (d0)>
#map1 = affine_map<(d0, d1) -> (d0, d1)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d2)>
#map3 = affine_map<(d0, d1, d2) -> (d2, d1)>
#map4 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map5 = affine_map<(d0, d1) -> (d1)>
#map6 = affine_map<(d0, d1) -> (d0)>
#map7 = affine_map<(d0, d1) -> (d0, 0)>
"builtin.module"() ({
  "func.func"() <{function_type = (tensor<4x16xf16>) -> tensor<4x10xf16>, sym_name = "main"}> ({
  ^bb0(%arg0: tensor<4x16xf16>):
    %0 = "arith.constant"() <{value = 0.000000e+00 : f32}> : () -> f32
    %1 = "arith.constant"() <{value = 0 : i64}> : () -> i64
    %2 = "arith.constant"() <{value = 0xFF800000 : f32}> : () -> f32
    %3 = "arith.constant"() <{value = dense_resource<torch_tensor_10_torch.float16> : tensor<10xf16>}> : () -> tensor<10xf16>
    %4 = "arith.constant"() <{value = dense_resource<torch_tensor_10_16_torch.float16> : tensor<10x16xf16>}> : () -> tensor<10x16xf16>
    %5 = "tensor.empty"() : () -> tensor<16x10xf16>
    %6 = "linalg.transpose"(%4, %5) <{permutation = array<i64: 1, 0>}> ({
    ^bb0(%arg44: f16, %arg45: f16):
      "linalg.yield"(%arg44) : (f16) -> ()
    }) : (tensor<10x16xf16>, tensor<16x10xf16>) -> tensor<16x10xf16>
    %7 = "tensor.empty"() : () -> tensor<10xf32>
    %8 = "linalg.generic"(%3, %7) <{indexing_maps = [#map, #map], iterator_types = [#linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg42: f16, %arg43: f32):
      %53 = "arith.extf"(%arg42) : (f16) -> f32
      "linalg.yield"(%53) : (f32) -> ()
    }) : (tensor<10xf16>, tensor<10xf32>) -> tensor<10xf32>
    %9 = "tensor.empty"() : () -> tensor<4x16xf32>
    %10 = "linalg.generic"(%arg0, %9) <{indexing_maps = [#map1, #map1], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg40: f16, %arg41: f32):
      %52 = "arith.extf"(%arg40) : (f16) -> f32
      "linalg.yield"(%52) : (f32) -> ()
    }) : (tensor<4x16xf16>, tensor<4x16xf32>) -> tensor<4x16xf32>
    %11 = "tensor.empty"() : () -> tensor<16x10xf32>
    %12 = "linalg.generic"(%6, %11) <{indexing_maps = [#map1, #map1], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg38: f16, %arg39: f32):
      %51 = "arith.extf"(%arg38) : (f16) -> f32
      "linalg.yield"(%51) : (f32) -> ()
    }) : (tensor<16x10xf16>, tensor<16x10xf32>) -> tensor<16x10xf32>
    %13 = "tensor.empty"() : () -> tensor<4x10xf32>
    %14 = "linalg.fill"(%0, %13) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg36: f32, %arg37: f32):
      "linalg.yield"(%arg36) : (f32) -> ()
    }) : (f32, tensor<4x10xf32>) -> tensor<4x10xf32>
    %15 = "linalg.matmul"(%10, %12, %14) <{indexing_maps = [#map2, #map3, #map4], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg33: f32, %arg34: f32, %arg35: f32):
      %49 = "arith.mulf"(%arg33, %arg34) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %50 = "arith.addf"(%arg35, %49) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%50) : (f32) -> ()
    }) : (tensor<4x16xf32>, tensor<16x10xf32>, tensor<4x10xf32>) -> tensor<4x10xf32>
    %16 = "linalg.generic"(%8, %13) <{indexing_maps = [#map5, #map1], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg31: f32, %arg32: f32):
      "linalg.yield"(%arg31) : (f32) -> ()
    }) : (tensor<10xf32>, tensor<4x10xf32>) -> tensor<4x10xf32>
    %17 = "linalg.generic"(%15, %16, %13) <{indexing_maps = [#map1, #map1, #map1], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg28: f32, %arg29: f32, %arg30: f32):
      %48 = "arith.addf"(%arg28, %arg29) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%48) : (f32) -> ()
    }) : (tensor<4x10xf32>, tensor<4x10xf32>, tensor<4x10xf32>) -> tensor<4x10xf32>
    %18 = "tensor.empty"() : () -> tensor<4x10xf16>
    %19 = "linalg.generic"(%17, %18) <{indexing_maps = [#map1, #map1], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg26: f32, %arg27: f16):
      %47 = "arith.truncf"(%arg26) : (f32) -> f16
      "linalg.yield"(%47) : (f16) -> ()
    }) : (tensor<4x10xf32>, tensor<4x10xf16>) -> tensor<4x10xf16>
    %20 = "linalg.generic"(%19, %13) <{indexing_maps = [#map1, #map1], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg24: f16, %arg25: f32):
      %46 = "arith.extf"(%arg24) : (f16) -> f32
      "linalg.yield"(%46) : (f32) -> ()
    }) : (tensor<4x10xf16>, tensor<4x10xf32>) -> tensor<4x10xf32>
    %21 = "tensor.empty"() : () -> tensor<4xi64>
    %22 = "linalg.fill"(%1, %21) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg22: i64, %arg23: i64):
      "linalg.yield"(%arg22) : (i64) -> ()
    }) : (i64, tensor<4xi64>) -> tensor<4xi64>
    %23 = "tensor.empty"() : () -> tensor<4xf32>
    %24 = "linalg.fill"(%2, %23) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg20: f32, %arg21: f32):
      "linalg.yield"(%arg20) : (f32) -> ()
    }) : (f32, tensor<4xf32>) -> tensor<4xf32>
    %25:2 = "linalg.generic"(%20, %24, %22) <{indexing_maps = [#map1, #map6, #map6], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 2>}> ({
    ^bb0(%arg17: f32, %arg18: f32, %arg19: i64):
      %41 = "linalg.index"() <{dim = 1 : i64}> : () -> index
      %42 = "arith.index_cast"(%41) : (index) -> i64
      %43 = "arith.maximumf"(%arg17, %arg18) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      %44 = "arith.cmpf"(%arg17, %arg18) <{fastmath = #arith.fastmath<none>, predicate = 2 : i64}> : (f32, f32) -> i1
      %45 = "arith.select"(%44, %42, %arg19) : (i1, i64, i64) -> i64
      "linalg.yield"(%43, %45) : (f32, i64) -> ()
    }) : (tensor<4x10xf32>, tensor<4xf32>, tensor<4xi64>) -> (tensor<4xf32>, tensor<4xi64>)
    %26 = "tensor.expand_shape"(%25#0) <{reassociation = [[0, 1]], static_output_shape = array<i64: 4, 1>}> : (tensor<4xf32>) -> tensor<4x1xf32>
    %27 = "linalg.generic"(%20, %26, %13) <{indexing_maps = [#map1, #map7, #map1], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg14: f32, %arg15: f32, %arg16: f32):
      %40 = "arith.subf"(%arg14, %arg15) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%40) : (f32) -> ()
    }) : (tensor<4x10xf32>, tensor<4x1xf32>, tensor<4x10xf32>) -> tensor<4x10xf32>
    %28 = "linalg.generic"(%27, %13) <{indexing_maps = [#map1, #map1], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg12: f32, %arg13: f32):
      %39 = "math.exp"(%arg12) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%39) : (f32) -> ()
    }) : (tensor<4x10xf32>, tensor<4x10xf32>) -> tensor<4x10xf32>
    %29 = "tensor.empty"() : () -> tensor<4x1xf32>
    %30 = "linalg.fill"(%0, %29) <{operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg10: f32, %arg11: f32):
      "linalg.yield"(%arg10) : (f32) -> ()
    }) : (f32, tensor<4x1xf32>) -> tensor<4x1xf32>
    %31 = "linalg.generic"(%28, %30) <{indexing_maps = [#map1, #map7], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<reduction>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg8: f32, %arg9: f32):
      %38 = "arith.addf"(%arg8, %arg9) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%38) : (f32) -> ()
    }) : (tensor<4x10xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
    %32 = "linalg.generic"(%31, %29) <{indexing_maps = [#map1, #map1], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg6: f32, %arg7: f32):
      %37 = "math.log"(%arg6) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
      "linalg.yield"(%37) : (f32) -> ()
    }) : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
    %33 = "linalg.generic"(%27, %32, %13) <{indexing_maps = [#map1, #map7, #map1], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 2, 1>}> ({
    ^bb0(%arg3: f32, %arg4: f32, %arg5: f32):
      %36 = "arith.subf"(%arg3, %arg4) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
      "linalg.yield"(%36) : (f32) -> ()
    }) : (tensor<4x10xf32>, tensor<4x1xf32>, tensor<4x10xf32>) -> tensor<4x10xf32>
    %34 = "linalg.generic"(%33, %18) <{indexing_maps = [#map1, #map1], iterator_types = [#linalg.iterator_type<parallel>, #linalg.iterator_type<parallel>], operandSegmentSizes = array<i32: 1, 1>}> ({
    ^bb0(%arg1: f32, %arg2: f16):
      %35 = "arith.truncf"(%arg1) : (f32) -> f16
      "linalg.yield"(%35) : (f16) -> ()
    }) : (tensor<4x10xf32>, tensor<4x10xf16>) -> tensor<4x10xf16>
    "func.return"(%34) : (tensor<4x10xf16>) -> ()
  }) : () -> ()
}) : () -> ()

{-#
  dialect_resources: {
    builtin: {
      torch_tensor_10_torch.float16: "0x020000002AAA48AA2EB3E8B202A99F1A45AF072E33B352A4",
      torch_tensor_10_16_torch.float16: "0x02000000AB974B3096B2E3B12AAE4A2C129D5832AEA53C2CD6AC4AAAA5B34CB198AEBE20532ECD306CB1F8AED02DA53296AAFD3128A9C6263E336CB309B10DAC3DAEE9322FB15EAF97B17EB3ACB0E032242FC12FBB221AB06A2978B3C8B120B00C31B13019AF9EA01E31F4335A2E53285D31B6B0F72934B28BB122B03D2F6F2EBDB0D52C64300AA8E3206A2BF730AE332AB2DDAD4A2EA132F6320F335E2AF5B2E32501B175B31C331532FBB3FD2964A944A953AF272EBDB0DE2D0C30BA31FC2DEBB331B1FD2FB32A3EB29BB087336431FAAE07AC9FB39A9C06B22CB20EA3CE288DAEBF30DEB042337B31BFB2F7ABC721AB28972B472EAB23CFAF922FADB3BEB001ACCBAF99AD8FB2CFAAD72A36B192A2BA3194A61D1F85A57A2A1631943315319833A1A430B396AF7231A396F4AF21B27DB3C1B27EAA63305330B7B3FE3043B2C4AA7DAE"
    }
  }
#-}
