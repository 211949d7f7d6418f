// Generic tensor ops: creation, conversion, elementwise arithmetic and activations, comparisons,
// shape manipulation and reductions. Every op returns a new handle; semantics are PyTorch's
// (broadcasting, negative dims, views where PyTorch returns views).
#include "common.h"

namespace hp {
namespace {

torch::TensorOptions CreateOpts(const Args& a, size_t dtypeArg) {
  return torch::TensorOptions().dtype(a.DType(dtypeArg)).device(a.Device(dtypeArg + 1));
}

// All dims of `t` when `dims` is null (so keepdim is honoured for full reductions too).
std::vector<int64_t> DimsOrAll(const Args& a, size_t i, const torch::Tensor& t) {
  auto d = a.OptInts(i);
  if (d) return *d;
  std::vector<int64_t> all(static_cast<size_t>(t.dim()));
  for (int64_t k = 0; k < t.dim(); ++k) all[static_cast<size_t>(k)] = k;
  return all;
}

// ---- creation --------------------------------------------------------------------------------
// (shape, dtype, device, requiresGrad) → tensor

template <torch::Tensor (*Factory)(at::IntArrayRef, torch::TensorOptions)>
Napi::Value Create(const Napi::CallbackInfo& info) {
  Args a(info);
  torch::Tensor t = Factory(a.Ints(0), CreateOpts(a, 1));
  if (a.Bool(3)) t.set_requires_grad(true);
  return Wrap(info.Env(), t);
}

torch::Tensor ZerosF(at::IntArrayRef s, torch::TensorOptions o) { return torch::zeros(s, o); }
torch::Tensor OnesF(at::IntArrayRef s, torch::TensorOptions o) { return torch::ones(s, o); }
torch::Tensor RandnF(at::IntArrayRef s, torch::TensorOptions o) { return torch::randn(s, o); }
torch::Tensor RandF(at::IntArrayRef s, torch::TensorOptions o) { return torch::rand(s, o); }

Napi::Value Full(const Napi::CallbackInfo& info) {
  Args a(info);
  torch::Tensor t = torch::full(a.Ints(0), a.Num(1), CreateOpts(a, 2));
  if (a.Bool(4)) t.set_requires_grad(true);
  return Wrap(info.Env(), t);
}

Napi::Value Arange(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::arange(a.Num(0), a.Num(1), a.Num(2), CreateOpts(a, 3)));
}

// ---- conversion ------------------------------------------------------------------------------

Napi::Value Detach(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), a.T(0).detach());
}
Napi::Value Clone(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), a.T(0).clone());
}
Napi::Value ToDType(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), a.T(0).to(a.DType(1), /*non_blocking=*/false, /*copy=*/true));
}
Napi::Value ToDevice(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), a.T(0).to(a.Device(1)));
}
Napi::Value Contiguous(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), a.T(0).contiguous());
}

// ---- elementwise binary: (tensor, tensor | number) -------------------------------------------

#define HP_BINARY(Name, expr)                             \
  Napi::Value Name(const Napi::CallbackInfo& info) {      \
    Args a(info);                                         \
    const torch::Tensor& x = a.T(0);                      \
    if (a.IsNumber(1)) {                                  \
      const torch::Scalar y = a.Num(1);                   \
      return Wrap(info.Env(), expr);                      \
    }                                                     \
    const torch::Tensor& y = a.T(1);                      \
    return Wrap(info.Env(), expr);                        \
  }

HP_BINARY(Add, torch::add(x, y))
HP_BINARY(Sub, torch::sub(x, y))
HP_BINARY(Mul, torch::mul(x, y))
HP_BINARY(Div, torch::div(x, y))
HP_BINARY(Pow, torch::pow(x, y))
HP_BINARY(Gt, torch::gt(x, y))
HP_BINARY(Lt, torch::lt(x, y))
HP_BINARY(Ge, torch::ge(x, y))
HP_BINARY(Le, torch::le(x, y))
HP_BINARY(Eq, torch::eq(x, y))
#undef HP_BINARY

// s − x and s / x with the scalar on the left.
Napi::Value RSub(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::rsub(a.T(0), a.Num(1)));
}
Napi::Value RDiv(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::reciprocal(a.T(0)).mul(a.Num(1)));
}

Napi::Value Maximum(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::maximum(a.T(0), a.T(1)));
}
Napi::Value Minimum(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::minimum(a.T(0), a.T(1)));
}
Napi::Value Atan2(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::atan2(a.T(0), a.T(1)));
}

// where(cond, a, b): a / b may be numbers; a number becomes a 0-d tensor of the other operand's
// dtype (float32 when both are numbers) so the result type is the tensor's.
Napi::Value Where(const Napi::CallbackInfo& info) {
  Args a(info);
  const torch::Tensor& c = a.T(0);
  bool an = a.IsNumber(1), bn = a.IsNumber(2);
  torch::TensorOptions o = torch::TensorOptions().dtype(torch::kFloat32).device(c.device());
  if (!an) o = o.dtype(a.T(1).scalar_type());
  else if (!bn) o = o.dtype(a.T(2).scalar_type());
  torch::Tensor x = an ? torch::scalar_tensor(a.Num(1), o) : a.T(1);
  torch::Tensor y = bn ? torch::scalar_tensor(a.Num(2), o) : a.T(2);
  return Wrap(info.Env(), torch::where(c, x, y));
}

// ---- elementwise unary -----------------------------------------------------------------------

Napi::Value Unary(const Napi::CallbackInfo& info) {
  Args a(info);
  const std::string op = a.Str(0);
  const torch::Tensor& x = a.T(1);
  torch::Tensor y;
  if (op == "neg") y = torch::neg(x);
  else if (op == "abs") y = torch::abs(x);
  else if (op == "sign") y = torch::sign(x);
  else if (op == "sqrt") y = torch::sqrt(x);
  else if (op == "square") y = torch::square(x);
  else if (op == "exp") y = torch::exp(x);
  else if (op == "log") y = torch::log(x);
  else if (op == "sin") y = torch::sin(x);
  else if (op == "cos") y = torch::cos(x);
  else if (op == "reciprocal") y = torch::reciprocal(x);
  else if (op == "relu") y = torch::relu(x);
  else if (op == "sigmoid") y = torch::sigmoid(x);
  else if (op == "tanh") y = torch::tanh(x);
  else throw Napi::Error::New(info.Env(), "unknown unary op '" + op + "'");
  return Wrap(info.Env(), y);
}

Napi::Value Clamp(const Napi::CallbackInfo& info) {
  Args a(info);
  c10::optional<torch::Scalar> lo, hi;
  if (!a.IsNull(1)) lo = a.Num(1);
  if (!a.IsNull(2)) hi = a.Num(2);
  return Wrap(info.Env(), torch::clamp(a.T(0), lo, hi));
}

Napi::Value Elu(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::elu(a.T(0), a.Num(1)));
}

Napi::Value Softplus(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::softplus(a.T(0), a.Num(1), a.Num(2)));
}

Napi::Value Prelu(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::prelu(a.T(0), a.T(1)));
}

// ---- shape -----------------------------------------------------------------------------------

Napi::Value Reshape(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), a.T(0).reshape(a.Ints(1)));
}
Napi::Value View(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), a.T(0).view(a.Ints(1)));
}
Napi::Value Permute(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), a.T(0).permute(a.Ints(1)));
}
Napi::Value Transpose(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), a.T(0).transpose(a.Int(1), a.Int(2)));
}
Napi::Value Squeeze(const Napi::CallbackInfo& info) {
  Args a(info);
  if (a.IsNull(1)) return Wrap(info.Env(), a.T(0).squeeze());
  return Wrap(info.Env(), a.T(0).squeeze(a.Int(1)));
}
Napi::Value Unsqueeze(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), a.T(0).unsqueeze(a.Int(1)));
}
Napi::Value Flatten(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), a.T(0).flatten(a.Int(1), a.Int(2)));
}
Napi::Value Expand(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), a.T(0).expand(a.Ints(1)));
}
// slice(x, dim, start, end | null, step)
Napi::Value Slice(const Napi::CallbackInfo& info) {
  Args a(info);
  c10::optional<int64_t> end;
  if (!a.IsNull(3)) end = a.Int(3);
  return Wrap(info.Env(), a.T(0).slice(a.Int(1), a.Int(2), end, a.Int(4)));
}
Napi::Value Narrow(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), a.T(0).narrow(a.Int(1), a.Int(2), a.Int(3)));
}
Napi::Value IndexSelect(const Napi::CallbackInfo& info) {
  Args a(info);
  torch::Tensor idx = a.T(2);
  if (idx.scalar_type() != torch::kInt64) idx = idx.to(torch::kInt64);
  return Wrap(info.Env(), a.T(0).index_select(a.Int(1), idx));
}
Napi::Value Split(const Napi::CallbackInfo& info) {
  Args a(info);
  return WrapList(info.Env(), a.T(0).split_with_sizes(a.Ints(1), a.Int(2)));
}
Napi::Value Chunk(const Napi::CallbackInfo& info) {
  Args a(info);
  return WrapList(info.Env(), a.T(0).chunk(a.Int(1), a.Int(2)));
}
Napi::Value Cat(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::cat(a.Tensors(0), a.Int(1)));
}
Napi::Value Stack(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::stack(a.Tensors(0), a.Int(1)));
}
// pad(x, pads, value): F.pad's constant mode (pads from the last dim backwards).
Napi::Value Pad(const Napi::CallbackInfo& info) {
  Args a(info);
  return Wrap(info.Env(), torch::constant_pad_nd(a.T(0), a.Ints(1), a.Num(2)));
}

// ---- reductions: (x, dims | null, keepdim) ---------------------------------------------------

Napi::Value Sum(const Napi::CallbackInfo& info) {
  Args a(info);
  const torch::Tensor& x = a.T(0);
  if (x.dim() == 0) return Wrap(info.Env(), x.sum());
  return Wrap(info.Env(), x.sum(DimsOrAll(a, 1, x), a.Bool(2)));
}
Napi::Value Mean(const Napi::CallbackInfo& info) {
  Args a(info);
  const torch::Tensor& x = a.T(0);
  if (x.dim() == 0) return Wrap(info.Env(), x.mean());
  return Wrap(info.Env(), x.mean(DimsOrAll(a, 1, x), a.Bool(2)));
}
// norm(x, p, dims | null, keepdim): vector p-norm (torch.linalg.vector_norm).
Napi::Value Norm(const Napi::CallbackInfo& info) {
  Args a(info);
  const torch::Tensor& x = a.T(0);
  c10::optional<std::vector<int64_t>> dims = a.OptInts(2);
  at::OptionalIntArrayRef d = c10::nullopt;
  if (dims) d = at::IntArrayRef(*dims);
  return Wrap(info.Env(), torch::linalg_vector_norm(x, a.Num(1), d, a.Bool(3)));
}
Napi::Value Amax(const Napi::CallbackInfo& info) {
  Args a(info);
  const torch::Tensor& x = a.T(0);
  return Wrap(info.Env(), x.amax(DimsOrAll(a, 1, x), a.Bool(2)));
}
Napi::Value Amin(const Napi::CallbackInfo& info) {
  Args a(info);
  const torch::Tensor& x = a.T(0);
  return Wrap(info.Env(), x.amin(DimsOrAll(a, 1, x), a.Bool(2)));
}

}  // namespace

void RegisterTensorOps(Napi::Env env, Napi::Object exports) {
  Export<Create<ZerosF>>(env, exports, "zeros");
  Export<Create<OnesF>>(env, exports, "ones");
  Export<Create<RandnF>>(env, exports, "randn");
  Export<Create<RandF>>(env, exports, "rand");
  Export<Full>(env, exports, "full");
  Export<Arange>(env, exports, "arange");

  Export<Detach>(env, exports, "detach");
  Export<Clone>(env, exports, "clone");
  Export<ToDType>(env, exports, "toDtype");
  Export<ToDevice>(env, exports, "toDevice");
  Export<Contiguous>(env, exports, "contiguous");

  Export<Add>(env, exports, "add");
  Export<Sub>(env, exports, "sub");
  Export<Mul>(env, exports, "mul");
  Export<Div>(env, exports, "div");
  Export<Pow>(env, exports, "pow");
  Export<Gt>(env, exports, "gt");
  Export<Lt>(env, exports, "lt");
  Export<Ge>(env, exports, "ge");
  Export<Le>(env, exports, "le");
  Export<Eq>(env, exports, "eq");
  Export<RSub>(env, exports, "rsub");
  Export<RDiv>(env, exports, "rdiv");
  Export<Maximum>(env, exports, "maximum");
  Export<Minimum>(env, exports, "minimum");
  Export<Atan2>(env, exports, "atan2");
  Export<Where>(env, exports, "where");

  Export<Unary>(env, exports, "unary");
  Export<Clamp>(env, exports, "clamp");
  Export<Elu>(env, exports, "elu");
  Export<Softplus>(env, exports, "softplus");
  Export<Prelu>(env, exports, "prelu");

  Export<Reshape>(env, exports, "reshape");
  Export<View>(env, exports, "view");
  Export<Permute>(env, exports, "permute");
  Export<Transpose>(env, exports, "transpose");
  Export<Squeeze>(env, exports, "squeeze");
  Export<Unsqueeze>(env, exports, "unsqueeze");
  Export<Flatten>(env, exports, "flatten");
  Export<Expand>(env, exports, "expand");
  Export<Slice>(env, exports, "slice");
  Export<Narrow>(env, exports, "narrow");
  Export<IndexSelect>(env, exports, "indexSelect");
  Export<Split>(env, exports, "split");
  Export<Chunk>(env, exports, "chunk");
  Export<Cat>(env, exports, "cat");
  Export<Stack>(env, exports, "stack");
  Export<Pad>(env, exports, "pad");

  Export<Sum>(env, exports, "sum");
  Export<Mean>(env, exports, "mean");
  Export<Norm>(env, exports, "norm");
  Export<Amax>(env, exports, "amax");
  Export<Amin>(env, exports, "amin");
}

}  // namespace hp
