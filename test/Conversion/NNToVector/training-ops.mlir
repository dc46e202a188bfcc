// RUN: nn-opt %s --nn-to-vector="vector-bits=512 accumulators=1 block-vectors=1" --canonicalize --cse | FileCheck %s --implicit-check-not=nn.

// The vector kernels of the training ops: one forall iteration per row, on
// the read pass of nn.logsoftmax (max and exp-sum in one read).

// Cross-entropy forward: a read pass per row, the target's logit read under
// scf.if, the loss log(sum) - (x[t] - max) inserted into the per-sample
// tensor; no write of the logits' size. Then "mean" sums the losses and counts the samples in f64.
// CHECK-LABEL: func.func @cross_entropy_mean
// CHECK-SAME:    (%[[X:.*]]: tensor<8x1000xf32>, %[[T:.*]]: tensor<8xi64>) -> tensor<f32>
// CHECK:         %[[SAMPLES:.*]] = scf.forall (%[[ROW:.*]]) in (8) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<8xf32>)
// CHECK:           vector.transfer_read %[[X]][%[[ROW]], %{{.*}}]
// CHECK-NOT:       vector.transfer_write
// CHECK:           %[[TE:.*]] = tensor.extract %[[T]][%[[ROW]]] : tensor<8xi64>
// CHECK:           %[[XT:.*]] = scf.if %{{.*}} -> (f32) {
// CHECK:             %[[TI:.*]] = arith.index_cast %[[TE]] : i64 to index
// CHECK:             %[[XR:.*]] = tensor.extract %[[X]][%[[ROW]], %[[TI]]] : tensor<8x1000xf32>
// CHECK:             scf.yield %[[XR]] : f32
// CHECK:           %[[SHIFTED:.*]] = arith.subf %[[XT]], %{{.*}} : f32
// CHECK:           %[[LOSS:.*]] = arith.subf %{{.*}}, %[[SHIFTED]] : f32
// CHECK:           %[[SEL:.*]] = arith.select %{{.*}}, %{{.*}}, %[[LOSS]] : f32
// CHECK:           %[[SLICE:.*]] = tensor.extract_slice %[[OUT]][%[[ROW]]] [1] [1]
// CHECK:           %[[INS:.*]] = tensor.insert %[[SEL]] into %[[SLICE]]
// CHECK:           tensor.parallel_insert_slice %[[INS]] into %[[OUT]][%[[ROW]]] [1] [1]
// CHECK:         %[[TOTALS:.*]]:2 = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (f64, f64)
// CHECK:           tensor.extract %[[SAMPLES]][%[[I]]] : tensor<8xf32>
// CHECK:           arith.extf %{{.*}} : f32 to f64
// CHECK:         %[[MEAN:.*]] = arith.divf %[[TOTALS]]#0, %[[TOTALS]]#1 : f64
// CHECK:         %[[R:.*]] = arith.truncf %[[MEAN]] : f64 to f32
// CHECK:         tensor.from_elements %[[R]] : tensor<f32>
func.func @cross_entropy_mean(%x: tensor<8x1000xf32>, %t: tensor<8xi64>) -> tensor<f32> {
  %l = "nn.cross_entropy"(%x, %t) <{ignore_index = -100 : i64, reduction = "mean", label_smoothing = 0.0 : f64}> : (tensor<8x1000xf32>, tensor<8xi64>) -> tensor<f32>
  return %l : tensor<f32>
}

// Cross-entropy gradient: a read pass, then one write pass of
// g * (exp(x - max) * (1 / sum) - spread) into the row, then the target's
// element written again.
// CHECK-LABEL: func.func @cross_entropy_grad
// CHECK-SAME:    (%[[G:.*]]: tensor<f16>, %[[X:.*]]: tensor<8x1000xf16>, %[[T:.*]]: tensor<8xi64>)
// CHECK:         scf.forall (%[[ROW:.*]]) in (8) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<8x1000xf16>)
// CHECK:           %[[SLICE:.*]] = tensor.extract_slice %[[OUT]][%[[ROW]], 0] [1, 1000] [1, 1]
// CHECK:           %[[INV:.*]] = arith.divf %{{.*}}, %{{.*}} : f32
// CHECK:           %[[GS:.*]] = tensor.extract %[[G]][] : tensor<f16>
// CHECK:           %[[WRITTEN:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[SLICE]]) -> (tensor<1x1000xf16>)
// CHECK:             vector.transfer_read %[[X]][%[[ROW]], %{{.*}}]
// CHECK:             vector.transfer_write %{{.*}}, %[[ACC]][%{{.*}}, %{{.*}}] {in_bounds = [true]} : vector<16xf16>, tensor<1x1000xf16>
// CHECK:           scf.if %{{.*}} -> (tensor<1x1000xf16>) {
// CHECK:             tensor.insert %{{.*}} into %{{.*}}[%{{.*}}, %{{.*}}] : tensor<1x1000xf16>
func.func @cross_entropy_grad(%g: tensor<f16>, %x: tensor<8x1000xf16>, %t: tensor<8xi64>) -> tensor<8x1000xf16> {
  %d = "nn.cross_entropy_grad"(%g, %x, %t) <{ignore_index = -100 : i64, reduction = "sum", label_smoothing = 0.1 : f64}> : (tensor<f16>, tensor<8x1000xf16>, tensor<8xi64>) -> tensor<8x1000xf16>
  return %d : tensor<8x1000xf16>
}

// Softmax: the read pass, then exp(x - max) * (1 / sum) in the write pass.
// CHECK-LABEL: func.func @softmax
// CHECK:         scf.forall (%[[ROW:.*]]) in (4)
// CHECK:           %[[INV:.*]] = arith.divf %{{.*}}, %{{.*}} : f32
// CHECK:           %[[INV_V:.*]] = vector.broadcast %[[INV]] : f32 to vector<16xf32>
// CHECK:           scf.for
// CHECK:             %[[P:.*]] = arith.mulf %{{.*}}, %[[INV_V]] {{.*}}: vector<16xf32>
// CHECK:             vector.transfer_write %[[P]]
func.func @softmax(%x: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %y = "nn.softmax"(%x) <{dim = -1 : i64}> : (tensor<4x?xf32>) -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}

// Log-softmax gradient: a sum of g per row (in f64 lanes), then
// g - exp(min(y, 89)) * sum, reading both inputs in the write pass.
// CHECK-LABEL: func.func @logsoftmax_grad
// CHECK-SAME:    (%[[G:.*]]: tensor<4x100xbf16>, %[[Y:.*]]: tensor<4x100xbf16>)
// CHECK-DAG:     %[[HIGHEST:.*]] = arith.constant dense<8.900000e+01> : vector<16xf32>
// CHECK:         scf.forall (%[[ROW:.*]]) in (4)
// CHECK:           %[[SUM64:.*]] = vector.reduction <add>, %{{.*}} : vector<16xf64> into f64
// CHECK:           %[[SUM:.*]] = arith.truncf %[[SUM64]] : f64 to f32
// CHECK:           %[[SUM_V:.*]] = vector.broadcast %[[SUM]] : f32 to vector<16xf32>
// CHECK:           scf.for
// CHECK-DAG:         vector.transfer_read %[[G]][%[[ROW]], %{{.*}}]
// CHECK-DAG:         %[[YV:.*]] = vector.transfer_read %[[Y]][%[[ROW]], %{{.*}}]
// CHECK:             %[[YW:.*]] = arith.extf %[[YV]] : vector<16xbf16> to vector<16xf32>
// CHECK:             arith.minimumf %[[YW]], %[[HIGHEST]] : vector<16xf32>
// CHECK:             arith.mulf %{{.*}}, %[[SUM_V]] {{.*}}: vector<16xf32>
func.func @logsoftmax_grad(%g: tensor<4x100xbf16>, %y: tensor<4x100xbf16>) -> tensor<4x100xbf16> {
  %r = "nn.logsoftmax_grad"(%g, %y) <{dim = 1 : i64}> : (tensor<4x100xbf16>, tensor<4x100xbf16>) -> tensor<4x100xbf16>
  return %r : tensor<4x100xbf16>
}

// Softmax along another dim: the inner-dim kernel of nn.logsoftmax (lanes
// along the contiguous last dim, the online max/sum down dim 0; one chunk
// here, so no forall is left), writing exp(x - max) * (1 / sum) per lane.
// CHECK-LABEL: func.func @softmax_inner_dim
// CHECK:           scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK:           %[[INV:.*]] = arith.divf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:           scf.for
// CHECK:             %[[P:.*]] = arith.mulf %{{.*}}, %[[INV]] {{.*}}: vector<16xf32>
// CHECK:             vector.transfer_write %[[P]]
func.func @softmax_inner_dim(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %y = "nn.softmax"(%x) <{dim = 0 : i64}> : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// The log-softmax gradient along another dim: the inner-dim kernel, a sum
// of g down dim 0 per lane (in f64 lanes), then g - exp(y) * sum.
// CHECK-LABEL: func.func @logsoftmax_grad_inner_dim
// CHECK-SAME:    (%[[G:.*]]: tensor<4x8xf32>, %[[Y:.*]]: tensor<4x8xf32>)
// CHECK:         %[[SUMS:.*]] = scf.for {{.*}} -> (vector<16xf64>) {
// CHECK:           vector.transfer_read %[[G]]
// CHECK:           arith.extf %{{.*}} : vector<16xf32> to vector<16xf64>
// CHECK:         %[[SUM:.*]] = arith.truncf %[[SUMS]] : vector<16xf64> to vector<16xf32>
// CHECK:         scf.for
// CHECK-DAG:       vector.transfer_read %[[G]]
// CHECK-DAG:       vector.transfer_read %[[Y]]
// CHECK:           arith.mulf %{{.*}}, %[[SUM]] {{.*}}: vector<16xf32>
// CHECK:           vector.transfer_write
func.func @logsoftmax_grad_inner_dim(%g: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %x = "nn.logsoftmax_grad"(%g, %y) <{dim = 0 : i64}> : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %x : tensor<4x8xf32>
}

// The cross-entropy gradient on [N, C, D] logits: the inner-dim kernel along
// the classes, a lane per sample (its target read beside it, ignore_index
// past the end), writing g * (p - label) with the label chosen per lane where
// the class equals the lane's target.
// CHECK-LABEL: func.func @cross_entropy_grad_inner_dim
// CHECK-SAME:    (%[[G:.*]]: tensor<f32>, %[[X:.*]]: tensor<2x10x16xf32>, %[[T:.*]]: tensor<2x16xi64>)
// CHECK-DAG:     %[[IGNORE:.*]] = arith.constant dense<-100> : vector<16xi64>
// CHECK:         scf.forall (%[[N:.*]]) in (2)
// CHECK:           %[[TV:.*]] = vector.transfer_read %[[T]][%[[N]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<2x16xi64>, vector<16xi64>
// CHECK:           %[[IGNORED:.*]] = arith.cmpi eq, %[[TV]], %[[IGNORE]] : vector<16xi64>
// CHECK:           scf.for %[[C:.*]] = {{.*}} iter_args
// CHECK:             %[[CI:.*]] = arith.index_cast %[[C]] : index to i64
// CHECK:             %[[CV:.*]] = vector.broadcast %[[CI]] : i64 to vector<16xi64>
// CHECK:             %[[HIT:.*]] = arith.cmpi eq, %[[TV]], %[[CV]] : vector<16xi64>
// CHECK:             %[[LABEL:.*]] = arith.select %[[HIT]]
// CHECK:             %[[D:.*]] = arith.subf %{{.*}}, %[[LABEL]] {{.*}}: vector<16xf32>
// CHECK:             %[[Y:.*]] = arith.mulf %{{.*}}, %[[D]] {{.*}}: vector<16xf32>
// CHECK:             vector.transfer_write %[[Y]]
func.func @cross_entropy_grad_inner_dim(%g: tensor<f32>, %x: tensor<2x10x16xf32>, %t: tensor<2x16xi64>) -> tensor<2x10x16xf32> {
  %r = "nn.cross_entropy_grad"(%g, %x, %t) <{reduction = "sum"}> : (tensor<f32>, tensor<2x10x16xf32>, tensor<2x16xi64>) -> tensor<2x10x16xf32>
  return %r : tensor<2x10x16xf32>
}

// nn.cross_entropy on [N, C, D] logits ("sum"): the inner-dim kernel's read
// pass along the classes, then each lane's x[target] read as a scalar, the
// losses of a chunk written as f64 into a per-sample tensor, and their sum
// taken in order after the loop.
// CHECK-LABEL: func.func @cross_entropy_inner_dim
// CHECK-SAME:    (%[[X:.*]]: tensor<2x10x16xf32>, %[[T:.*]]: tensor<2x16xi64>)
// CHECK:         %[[LOSSES:.*]] = scf.forall (%[[N:.*]]) in (2) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<2x16xf64>)
// CHECK:           %[[TV:.*]] = vector.transfer_read %[[T]][%[[N]], %{{.*}}]
// CHECK:           scf.for %[[L:[^ ]*]] = {{.*}} -> (vector<16xf32>)
// CHECK:             %[[TL:.*]] = vector.extract %[[TV]][%[[L]]] : i64 from vector<16xi64>
// CHECK:             scf.if
// CHECK:               %[[TI:.*]] = arith.index_cast %[[TL]] : i64 to index
// CHECK:               tensor.extract %[[X]][%[[N]], %[[TI]], %{{.*}}] : tensor<2x10x16xf32>
// CHECK:           %[[WIDE:.*]] = arith.extf %{{.*}} : vector<16xf32> to vector<16xf64>
// CHECK:           vector.transfer_write %[[WIDE]]
// CHECK:         %[[FLAT:.*]] = tensor.collapse_shape %[[LOSSES]] {{.*}} into tensor<32xf64>
// CHECK:         %[[TOTAL:.*]] = scf.for {{.*}} -> (f64) {
// CHECK:           tensor.extract %[[FLAT]]
// CHECK:         %[[ROUNDED:.*]] = arith.truncf %[[TOTAL]] : f64 to f32
// CHECK:         tensor.from_elements %[[ROUNDED]] : tensor<f32>
func.func @cross_entropy_inner_dim(%x: tensor<2x10x16xf32>, %t: tensor<2x16xi64>) -> tensor<f32> {
  %l = "nn.cross_entropy"(%x, %t) <{reduction = "sum"}> : (tensor<2x10x16xf32>, tensor<2x16xi64>) -> tensor<f32>
  return %l : tensor<f32>
}

// Statically empty tensors along another dim are left to nn-to-linalg.
// CHECK-LABEL: func.func @left_alone
// CHECK:         nn.softmax %
// CHECK:         nn.cross_entropy %
func.func @left_alone(%x: tensor<0x8xf32>, %l: tensor<2x3x0xf32>, %t: tensor<2x0xi64>) -> (tensor<0x8xf32>, tensor<f32>) {
  %y = "nn.softmax"(%x) <{dim = 0 : i64}> : (tensor<0x8xf32>) -> tensor<0x8xf32>
  %c = "nn.cross_entropy"(%l, %t) : (tensor<2x3x0xf32>, tensor<2x0xi64>) -> tensor<f32>
  return %y, %c : tensor<0x8xf32>, tensor<f32>
}
