// Adam / AMSGrad / AdamW over a list of parameter tensors (torch::optim), with learning-rate
// access and per-parameter state export/import for resumable training.
//
// The optimiser is a Napi::External owning an OptimState; its finaliser deletes it. It keeps its
// own references to the parameters (libtorch tensors), independent of the JS handles.
#include "common.h"

namespace hp {
namespace {

struct OptimState {
  bool decoupled = false;  // AdamW
  bool amsgrad = true;
  std::vector<torch::Tensor> params;
  std::unique_ptr<torch::optim::Optimizer> opt;
};

// libtorch keys per-parameter state by the TensorImpl address (see torch/csrc/api/src/optim/adam.cpp).
std::string StateKey(const torch::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); }

OptimState* Get(const Args& a, size_t i) {
  Napi::Value v = a[i];
  if (!v.IsExternal()) throw Napi::TypeError::New(a.Env(), "argument " + std::to_string(i) + ": expected an optimiser");
  OptimState* s = v.As<Napi::External<OptimState>>().Data();
  return s;
}

// adamNew(params[], lr, beta1, beta2, eps, weightDecay, amsgrad, decoupled)
Napi::Value AdamNew(const Napi::CallbackInfo& info) {
  Args a(info);
  auto s = std::make_unique<OptimState>();
  s->params = a.Tensors(0);
  double lr = a.Num(1), b1 = a.Num(2), b2 = a.Num(3), eps = a.Num(4), wd = a.Num(5);
  s->amsgrad = a.Bool(6);
  s->decoupled = a.Bool(7);
  for (const auto& p : s->params) {
    if (!p.is_leaf()) throw Napi::Error::New(info.Env(), "Adam: every parameter must be a leaf tensor (not the result of an op)");
  }
  if (s->decoupled) {
    s->opt = std::make_unique<torch::optim::AdamW>(
        s->params, torch::optim::AdamWOptions(lr).betas({b1, b2}).eps(eps).weight_decay(wd).amsgrad(s->amsgrad));
  } else {
    s->opt = std::make_unique<torch::optim::Adam>(
        s->params, torch::optim::AdamOptions(lr).betas({b1, b2}).eps(eps).weight_decay(wd).amsgrad(s->amsgrad));
  }
  return Napi::External<OptimState>::New(info.Env(), s.release(), [](Napi::Env, OptimState* p) { delete p; });
}

Napi::Value AdamStep(const Napi::CallbackInfo& info) {
  Args a(info);
  Get(a, 0)->opt->step();
  return info.Env().Undefined();
}

Napi::Value AdamZeroGrad(const Napi::CallbackInfo& info) {
  Args a(info);
  Get(a, 0)->opt->zero_grad();
  return info.Env().Undefined();
}

Napi::Value AdamGetLr(const Napi::CallbackInfo& info) {
  Args a(info);
  OptimState* s = Get(a, 0);
  auto& g = s->opt->param_groups().at(0);
  double lr = s->decoupled ? static_cast<torch::optim::AdamWOptions&>(g.options()).lr()
                           : static_cast<torch::optim::AdamOptions&>(g.options()).lr();
  return Napi::Number::New(info.Env(), lr);
}

Napi::Value AdamSetLr(const Napi::CallbackInfo& info) {
  Args a(info);
  OptimState* s = Get(a, 0);
  double lr = a.Num(1);
  for (auto& g : s->opt->param_groups()) {
    if (s->decoupled) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
    else static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
  }
  return info.Env().Undefined();
}

// AdamParamState and AdamWParamState have the same accessors; read them through a template.
template <typename St>
Napi::Value StateToJs(Napi::Env env, St& st, const torch::Tensor& p) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("step", static_cast<double>(st.step()));
  o.Set("expAvg", Wrap(env, st.exp_avg()));
  o.Set("expAvgSq", Wrap(env, st.exp_avg_sq()));
  torch::Tensor m = st.max_exp_avg_sq();
  o.Set("maxExpAvgSq", Wrap(env, m.defined() ? m : torch::zeros({0}, p.options().requires_grad(false))));
  return o;
}

// adamGetState(o) → per parameter: {step, expAvg, expAvgSq, maxExpAvgSq} | null (never stepped)
Napi::Value AdamGetState(const Napi::CallbackInfo& info) {
  Args a(info);
  OptimState* s = Get(a, 0);
  auto& state = s->opt->state();
  Napi::Array out = Napi::Array::New(info.Env(), s->params.size());
  for (size_t i = 0; i < s->params.size(); ++i) {
    auto it = state.find(StateKey(s->params[i]));
    if (it == state.end() || !it->second) {
      out.Set(static_cast<uint32_t>(i), info.Env().Null());
    } else if (s->decoupled) {
      out.Set(static_cast<uint32_t>(i),
              StateToJs(info.Env(), static_cast<torch::optim::AdamWParamState&>(*it->second), s->params[i]));
    } else {
      out.Set(static_cast<uint32_t>(i),
              StateToJs(info.Env(), static_cast<torch::optim::AdamParamState&>(*it->second), s->params[i]));
    }
  }
  return out;
}

template <typename St>
std::unique_ptr<torch::optim::OptimizerParamState> MakeState(bool amsgrad, int64_t step, const torch::Tensor& p,
                                                              const torch::Tensor& m, const torch::Tensor& v,
                                                              const torch::Tensor& vmax) {
  auto st = std::make_unique<St>();
  st->step(step);
  // Copies (not aliases) so that the caller's tensors stay independent of later steps.
  st->exp_avg(m.detach().to(p.options().requires_grad(false), false, true).reshape(p.sizes()));
  st->exp_avg_sq(v.detach().to(p.options().requires_grad(false), false, true).reshape(p.sizes()));
  if (amsgrad) {
    st->max_exp_avg_sq(vmax.numel() == p.numel()
                           ? vmax.detach().to(p.options().requires_grad(false), false, true).reshape(p.sizes())
                           : torch::zeros_like(p, torch::MemoryFormat::Preserve).detach());
  }
  return st;
}

// adamSetState(o, index, step, expAvg, expAvgSq, maxExpAvgSq)
Napi::Value AdamSetState(const Napi::CallbackInfo& info) {
  Args a(info);
  OptimState* s = Get(a, 0);
  int64_t idx = a.Int(1);
  if (idx < 0 || idx >= static_cast<int64_t>(s->params.size())) {
    throw Napi::RangeError::New(info.Env(), "adamSetState: parameter index out of range");
  }
  const torch::Tensor& p = s->params[static_cast<size_t>(idx)];
  const torch::Tensor &m = a.T(3), &v = a.T(4), &vmax = a.T(5);
  if (m.numel() != p.numel() || v.numel() != p.numel()) {
    throw Napi::Error::New(info.Env(), "adamSetState: state of parameter " + std::to_string(idx) +
                                           " has the wrong number of elements");
  }
  torch::NoGradGuard ng;
  s->opt->state()[StateKey(p)] =
      s->decoupled ? MakeState<torch::optim::AdamWParamState>(s->amsgrad, a.Int(2), p, m, v, vmax)
                   : MakeState<torch::optim::AdamParamState>(s->amsgrad, a.Int(2), p, m, v, vmax);
  return info.Env().Undefined();
}

}  // namespace

void RegisterOptim(Napi::Env env, Napi::Object exports) {
  Export<AdamNew>(env, exports, "adamNew");
  Export<AdamStep>(env, exports, "adamStep");
  Export<AdamZeroGrad>(env, exports, "adamZeroGrad");
  Export<AdamGetLr>(env, exports, "adamGetLr");
  Export<AdamSetLr>(env, exports, "adamSetLr");
  Export<AdamGetState>(env, exports, "adamGetState");
  Export<AdamSetState>(env, exports, "adamSetState");
}

}  // namespace hp
