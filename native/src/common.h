// Shared pieces of the hushpack libtorch addon: the tensor handle class, argument parsing, and the
// exception guard that turns C++ errors into JS Errors.
//
// Every exported function is `Napi::Value F(const Napi::CallbackInfo&)` registered through
// `Export(...)`, which wraps it in `Guarded<F>`: c10::Error (libtorch's shape/type errors) and any
// std::exception become a JS Error carrying the message, so a bad shape never aborts the process.
#pragma once

#include <napi.h>
#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace hp {

// ---------------------------------------------------------------------------------------------
// Tensor handle
// ---------------------------------------------------------------------------------------------

// A JS object owning one reference to a torch::Tensor. Created only from C++ (`Wrap`).
// `dispose()` (the free function) releases the tensor early; the ObjectWrap finaliser releases it
// otherwise. Each live handle reports its tensor's byte size to V8 as external memory so that the
// garbage collector sees the pressure of tensors nobody disposed.
class TensorHandle : public Napi::ObjectWrap<TensorHandle> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit TensorHandle(const Napi::CallbackInfo& info);
  ~TensorHandle() override;

  // Takes ownership of `t` (must be defined) and accounts its memory.
  void Set(Napi::Env env, torch::Tensor t);
  // Drops the tensor (no-op if already released).
  void Release(Napi::BasicEnv env);
  // The tensor; throws a JS Error when disposed.
  torch::Tensor& Get(Napi::Env env);

  void Finalize(Napi::BasicEnv env) override;

  // Number of handles currently holding a tensor, over all addon instances (worker threads
  // included), for leak tests.
  static std::atomic<int64_t> live;

 private:
  torch::Tensor t_;
  int64_t accounted_ = 0;  // bytes reported through AdjustExternalMemory
};

// Per-addon-instance data (worker-safe): the constructor used by Wrap.
struct AddonData {
  Napi::FunctionReference tensorCtor;
};

// A new JS handle owning `t`.
Napi::Object Wrap(Napi::Env env, torch::Tensor t);
// A JS array of new handles.
Napi::Array WrapList(Napi::Env env, const std::vector<torch::Tensor>& ts);

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------

// Typed access to a call's arguments; every accessor throws a JS TypeError naming the argument.
class Args {
 public:
  explicit Args(const Napi::CallbackInfo& info) : info_(info), env_(info.Env()) {}
  Napi::Env Env() const { return env_; }
  const Napi::Value operator[](size_t i) const { return info_[i]; }

  torch::Tensor& T(size_t i) const;
  bool IsNull(size_t i) const { return info_[i].IsNull() || info_[i].IsUndefined(); }
  c10::optional<torch::Tensor> OptT(size_t i) const;
  // An undefined tensor when null (libtorch's convention for "no bias").
  torch::Tensor TOrUndef(size_t i) const;
  std::vector<torch::Tensor> Tensors(size_t i) const;
  bool IsNumber(size_t i) const { return info_[i].IsNumber(); }
  double Num(size_t i) const;
  int64_t Int(size_t i) const;
  bool Bool(size_t i) const;
  std::string Str(size_t i) const;
  std::vector<int64_t> Ints(size_t i) const;
  c10::optional<std::vector<int64_t>> OptInts(size_t i) const;
  torch::ScalarType DType(size_t i) const;
  torch::Device Device(size_t i) const;

 private:
  [[noreturn]] void Bad(size_t i, const char* what) const;
  const Napi::CallbackInfo& info_;
  Napi::Env env_;
};

// dtype name ↔ ScalarType ("float32", "float64", "int64", "bool"; others are rejected).
torch::ScalarType ParseDType(const std::string& s);
const char* DTypeName(torch::ScalarType t);

// ---------------------------------------------------------------------------------------------
// Exception guard and registration
// ---------------------------------------------------------------------------------------------

using Fn = Napi::Value (*)(const Napi::CallbackInfo&);

template <Fn F>
Napi::Value Guarded(const Napi::CallbackInfo& info) {
  try {
    return F(info);
  } catch (const Napi::Error&) {
    throw;  // already a JS exception (e.g. a TypeError from Args)
  } catch (const c10::Error& e) {
    // what_without_backtrace(): libtorch's message without the C++ stack dump.
    throw Napi::Error::New(info.Env(), e.what_without_backtrace());
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), e.what());
  }
}

template <Fn F>
void Export(Napi::Env env, Napi::Object exports, const char* name) {
  exports.Set(name, Napi::Function::New(env, Guarded<F>, name));
}

// Module initialisation (addon.cc) and registration of each translation unit's functions.
Napi::Object Init(Napi::Env env, Napi::Object exports);
void RegisterTensorOps(Napi::Env env, Napi::Object exports);
void RegisterNnOps(Napi::Env env, Napi::Object exports);
void RegisterOptim(Napi::Env env, Napi::Object exports);

}  // namespace hp
