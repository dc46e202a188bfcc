// RUN: nn-opt %s --nn-to-vector="vector-bits=512" --canonicalize | FileCheck %s

// Along a non-last dimension the lanes run along the contiguous last one: the
// forall covers the other dimensions and chunks of the last of up to eight
// vectors (here one chunk of 128 elements: each iteration reads whole 512-byte
// rows), every load is a unit-stride vector at [i, d, column], each lane
// keeps its own reference, max and sum (no horizontal reduction: only the
// test of whether any lane passed its lagging reference), and the read pass
// steps through `dim` one row at a time, 128 rows per chunk of the row loop.

// CHECK-LABEL: func.func @middle(
// CHECK-SAME:    %[[X:.*]]: tensor<32x1024x128xf32>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C112:.*]] = arith.constant 112 : index
// CHECK-DAG:     %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG:     %[[C1024:.*]] = arith.constant 1024 : index
// CHECK-NOT:     vector.reduction <{{add|maximumf}}>
// CHECK:         scf.forall (%[[I:.*]]) in (32) shared_outs(%[[OUT:.*]] = %{{.*}})
// CHECK:           %[[BLOCK:.*]] = tensor.extract_slice %[[OUT]][%[[I]], 0, 0] [1, 1024, 128] [1, 1, 1]
// CHECK:           scf.for %[[R:.*]] = %[[C0]] to %[[C1024]] step %[[C128]] iter_args
// Eight (reference, maximum, sum) triples.
// CHECK:             %{{.*}}:24 = scf.for %[[D:.*]] = %[[R]] to %{{.*}} step %[[C1]] iter_args
// CHECK-NEXT:          vector.transfer_read %[[X]][%[[I]], %[[D]], %[[C0]]], %{{.*}} {in_bounds = [true]} : tensor<32x1024x128xf32>, vector<16xf32>
// CHECK:               vector.reduction <or>
// CHECK:               vector.transfer_read %[[X]][%[[I]], %[[D]], %[[C112]]], %{{.*}} {in_bounds = [true]} : tensor<32x1024x128xf32>, vector<16xf32>
// The first chunk of rows is taken as it is, the others merged.
// CHECK:             %[[FIRST:.*]] = arith.cmpi eq, %[[R]], %[[C0]] : index
// CHECK:             scf.if %[[FIRST]]
// CHECK-NOT:     vector.reduction <{{add|maximumf}}>
// The per-lane logs are vector code (exponent/mantissa split and a series),
// not math.log, which LLVM would turn into one libm call per lane.
// CHECK-NOT:       math.log
// CHECK:           arith.divf %{{.*}} : vector<16xf32>
// CHECK:           arith.divf %{{.*}} : vector<16xf32>
// CHECK-NOT:       math.log
// CHECK:           scf.for %[[W:.*]] = %[[C0]] to %[[C1024]] step %[[C1]] iter_args(%{{.*}} = %[[BLOCK]])
// CHECK:             vector.transfer_write %{{.*}}[%[[C0]], %[[W]], %[[C0]]] {in_bounds = [true]} : vector<16xf32>, tensor<1x1024x128xf32>
// CHECK:           tensor.parallel_insert_slice %{{.*}} into %[[OUT]][%[[I]], 0, 0] [1, 1024, 128] [1, 1, 1]
func.func @middle(%x: tensor<32x1024x128xf32>) -> tensor<32x1024x128xf32> {
  %y = nn.logsoftmax %x, dim = 1 : tensor<32x1024x128xf32> -> tensor<32x1024x128xf32>
  return %y : tensor<32x1024x128xf32>
}

// A last size of 40 takes one chunk of the three vectors that cover it, the
// last one masked to its 8 lanes.
// CHECK-LABEL: func.func @first_odd(
// CHECK-SAME:    %[[X:.*]]: tensor<512x40xf32>)
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK:         %{{.*}}:9 = scf.for %[[D:.*]] = {{.*}} iter_args
// CHECK:           vector.transfer_read %[[X]][%[[D]], %[[C32]]], %{{.*}} : tensor<512x40xf32>, vector<16xf32>
// CHECK-NOT:       vector.transfer_read
// CHECK:           scf.yield
// CHECK:         vector.transfer_write %{{.*}} : vector<16xf32>, tensor<512x40xf32>
func.func @first_odd(%x: tensor<512x40xf32>) -> tensor<512x40xf32> {
  %y = nn.logsoftmax %x, dim = 0 : tensor<512x40xf32> -> tensor<512x40xf32>
  return %y : tensor<512x40xf32>
}

// A dynamic last size chooses at run time: chunks of eight vectors when it
// has 128 elements, else of two. Every chunk but the last of a row is whole
// and runs unmasked.
// CHECK-LABEL: func.func @dynamic(
// CHECK-SAME:    %[[X:.*]]: tensor<?x?xf32>)
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG:     %[[C128:.*]] = arith.constant 128 : index
// CHECK:         %[[INNER:.*]] = tensor.dim %[[X]], %[[C1]]
// CHECK:         %[[WIDE:.*]] = arith.cmpi uge, %[[INNER]], %[[C128]] : index
// CHECK:         scf.if %[[WIDE]]
// CHECK:           %[[N8:.*]] = arith.ceildivui %[[INNER]], %[[C128]]
// CHECK:           scf.forall (%[[K8:.*]]) in (%[[N8]])
// CHECK:             %[[I8:.*]] = arith.muli %[[K8]], %[[C128]]
// CHECK:             %[[END8:.*]] = arith.addi %[[I8]], %[[C128]]
// CHECK:             %[[WHOLE8:.*]] = arith.cmpi ule, %[[END8]], %[[INNER]]
// CHECK:             scf.if %[[WHOLE8]]
// CHECK:               %{{.*}}:24 = scf.for
// CHECK:                 vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<?x?xf32>, vector<16xf32>
// CHECK:             } else {
// CHECK:               %{{.*}}:24 = scf.for
// CHECK:                 vector.transfer_read {{.*}} : tensor<?x?xf32>, vector<16xf32>
// CHECK:         } else {
// CHECK:           %[[N2:.*]] = arith.ceildivui %[[INNER]], %[[C32]]
// CHECK:           scf.forall (%{{.*}}) in (%[[N2]])
// CHECK:               %{{.*}}:6 = scf.for
func.func @dynamic(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %y = nn.logsoftmax %x, dim = 0 : tensor<?x?xf32> -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}
