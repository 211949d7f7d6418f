// Layer ops the four networks need: matmul/linear, convolutions, the multi-layer LSTM,
// normalisation, the MSE loss and gradient clipping. Weight layouts are PyTorch's so that
// state dicts map one to one.
#include "common.h"

namespace hp {
namespace {

Napi::Value Matmul(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::matmul(a.T(0), a.T(1)));
}

// linear(x [..., In], weight [Out, In], bias [Out] | null) = x·Wᵀ + b
Napi::Value Linear(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::linear(a.T(0), a.T(1), a.OptT(2)));
}

// conv1d/conv2d(x, w, b | null, stride[], padding[], dilation[], groups)
Napi::Value Conv1d(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::conv1d(a.T(0), a.T(1), a.OptT(2), a.Ints(3), a.Ints(4), a.Ints(5), a.Int(6)));
}
Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::conv2d(a.T(0), a.T(1), a.OptT(2), a.Ints(3), a.Ints(4), a.Ints(5), a.Int(6)));
}
// convTranspose2d(x, w [Cin, Cout/groups, kH, kW], b | null, stride[], padding[], outputPadding[],
//                 groups, dilation[])  — PyTorch's argument order.
Napi::Value ConvTranspose2d(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::conv_transpose2d(a.T(0), a.T(1), a.OptT(2), a.Ints(3), a.Ints(4), a.Ints(5),
                                                  a.Int(6), a.Ints(7)));
}

// lstm(x, params[], h0 | null, c0 | null, hasBiases, numLayers, dropout, training, batchFirst)
//   → [output, hN, cN]
// params per layer: w_ih [4H, In], w_hh [4H, H], (b_ih [4H], b_hh [4H]); gates i, f, g, o.
// Missing h0/c0 are zeros [numLayers, B, H].
Napi::Value Lstm(const Napi::CallbackInfo& info) {
  Args a(info);
  const torch::Tensor& x = a.T(0);
  std::vector<torch::Tensor> params = a.Tensors(1);
  bool hasBiases = a.Bool(4);
  int64_t layers = a.Int(5);
  double dropout = a.Num(6);
  bool training = a.Bool(7);
  bool batchFirst = a.Bool(8);
  size_t per = hasBiases ? 4 : 2;
  if (x.dim() != 3) {
    throw Napi::Error::New(info.Env(), "lstm: input must be 3-D ([T, B, F], or [B, T, F] with batchFirst), got " +
                                           std::to_string(x.dim()) + "-D");
  }
  if (params.size() != per * static_cast<size_t>(layers)) {
    throw Napi::Error::New(info.Env(), "lstm: expected " + std::to_string(per * layers) + " parameter tensors, got " +
                                           std::to_string(params.size()));
  }
  if (params[1].dim() != 2) throw Napi::Error::New(info.Env(), "lstm: weight_hh_l0 must be 2-D [4H, H]");
  int64_t hidden = params[1].size(1);
  int64_t batch = batchFirst ? x.size(0) : x.size(1);
  auto opts = x.options().requires_grad(false);
  torch::Tensor h0 = a.IsNull(2) ? torch::zeros({layers, batch, hidden}, opts) : a.T(2);
  torch::Tensor c0 = a.IsNull(3) ? torch::zeros({layers, batch, hidden}, opts) : a.T(3);
  auto r = torch::lstm(x, {h0, c0}, params, hasBiases, layers, dropout, training, /*bidirectional=*/false, batchFirst);
  return WrapList(info.Env(), {std::get<0>(r), std::get<1>(r), std::get<2>(r)});
}

// batchNorm(x, weight | null, bias | null, runningMean | null, runningVar | null, training,
//           momentum, eps). Training mode updates the running stats in place.
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  Args a(info);
  bool training = a.Bool(5);
  if (!training && (a.IsNull(3) || a.IsNull(4))) {
    throw Napi::Error::New(info.Env(), "batchNorm: eval mode (training=false) needs runningMean and runningVar");
  }
  return Wrap(info.Env(), torch::batch_norm(a.T(0), a.OptT(1), a.OptT(2), a.OptT(3), a.OptT(4), training, a.Num(6),
                                            a.Num(7), /*cudnn_enabled=*/true));
}

// layerNorm(x, normalizedShape[], weight | null, bias | null, eps)
Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::layer_norm(a.T(0), a.Ints(1), a.OptT(2), a.OptT(3), a.Num(4), /*cudnn_enable=*/true));
}

// mseLoss(input, target, 'mean' | 'sum' | 'none')
Napi::Value MseLoss(const Napi::CallbackInfo& info) {
  Args a(info);
  std::string r = a.Str(2);
  int64_t red;
  if (r == "mean") red = at::Reduction::Mean;
  else if (r == "sum") red = at::Reduction::Sum;
  else if (r == "none") red = at::Reduction::None;
  else throw Napi::Error::New(info.Env(), "mseLoss: reduction must be 'mean', 'sum' or 'none', got '" + r + "'");
  return Wrap(info.Env(), torch::mse_loss(a.T(0), a.T(1), red));
}

// clipGradNorm(params[], maxNorm, normType) → total norm before clipping
Napi::Value ClipGradNorm(const Napi::CallbackInfo& info) {
  Args a(info);
  double n = torch::nn::utils::clip_grad_norm_(a.Tensors(0), a.Num(1), a.Num(2));
  return Napi::Number::New(info.Env(), n);
}

}  // namespace

void RegisterNnOps(Napi::Env env, Napi::Object exports) {
  Export<Matmul>(env, exports, "matmul");
  Export<Linear>(env, exports, "linear");
  Export<Conv1d>(env, exports, "conv1d");
  Export<Conv2d>(env, exports, "conv2d");
  Export<ConvTranspose2d>(env, exports, "convTranspose2d");
  Export<Lstm>(env, exports, "lstm");
  Export<BatchNorm>(env, exports, "batchNorm");
  Export<LayerNorm>(env, exports, "layerNorm");
  Export<MseLoss>(env, exports, "mseLoss");
  Export<ClipGradNorm>(env, exports, "clipGradNorm");
}

}  // namespace hp
