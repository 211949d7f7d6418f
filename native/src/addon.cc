// Module entry point of the hushpack libtorch addon: the tensor handle class, argument parsing,
// engine settings (threads, seed, grad mode, version) and per-tensor accessors (metadata, host
// data, autograd). Ops live in ops_tensor.cc / ops_nn.cc, the optimiser in optim.cc.
#include "common.h"

#include <torch/cuda.h>
#include <torch/version.h>

#include <cstring>
#include <dlfcn.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace hp {

// ---------------------------------------------------------------------------------------------
// TensorHandle
// ---------------------------------------------------------------------------------------------

std::atomic<int64_t> TensorHandle::live{0};

Napi::Function TensorHandle::Init(Napi::Env env) {
  return DefineClass(env, "TensorHandle", {});
}

TensorHandle::TensorHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<TensorHandle>(info) {}

TensorHandle::~TensorHandle() {
  // Finalize() already released the tensor and the accounting; this covers other teardown paths.
  if (t_.defined()) {
    t_.reset();
    --live;
  }
}

// Bytes of the tensor's own elements (a view counts its extent, not the whole storage): only a
// hint for V8's GC heuristics.
static int64_t AccountBytes(const torch::Tensor& t) {
  return t.device().is_cpu() ? static_cast<int64_t>(t.numel() * t.element_size()) : 0;
}

void TensorHandle::Set(Napi::Env env, torch::Tensor t) {
  Release(env);
  t_ = std::move(t);
  ++live;
  accounted_ = AccountBytes(t_);
  if (accounted_ > 0) Napi::MemoryManagement::AdjustExternalMemory(env, accounted_);
}

void TensorHandle::Release(Napi::BasicEnv env) {
  if (!t_.defined()) return;
  t_.reset();
  --live;
  if (accounted_ > 0) Napi::MemoryManagement::AdjustExternalMemory(env, -accounted_);
  accounted_ = 0;
}

void TensorHandle::Finalize(Napi::BasicEnv env) { Release(env); }

torch::Tensor& TensorHandle::Get(Napi::Env env) {
  if (!t_.defined()) throw Napi::Error::New(env, "Tensor is disposed");
  return t_;
}

Napi::Object Wrap(Napi::Env env, torch::Tensor t) {
  if (!t.defined()) throw Napi::Error::New(env, "internal: op returned an undefined tensor");
  Napi::Object obj = env.GetInstanceData<AddonData>()->tensorCtor.New({});
  TensorHandle::Unwrap(obj)->Set(env, std::move(t));
  return obj;
}

Napi::Array WrapList(Napi::Env env, const std::vector<torch::Tensor>& ts) {
  Napi::Array out = Napi::Array::New(env, ts.size());
  for (size_t i = 0; i < ts.size(); ++i) out.Set(static_cast<uint32_t>(i), Wrap(env, ts[i]));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Args
// ---------------------------------------------------------------------------------------------

void Args::Bad(size_t i, const char* what) const {
  throw Napi::TypeError::New(env_, "argument " + std::to_string(i) + ": expected " + what);
}

torch::Tensor& Args::T(size_t i) const {
  Napi::Value v = info_[i];
  if (!v.IsObject()) Bad(i, "a tensor");
  Napi::Object o = v.As<Napi::Object>();
  if (!o.InstanceOf(env_.GetInstanceData<AddonData>()->tensorCtor.Value())) Bad(i, "a tensor");
  return TensorHandle::Unwrap(o)->Get(env_);
}

c10::optional<torch::Tensor> Args::OptT(size_t i) const {
  if (IsNull(i)) return c10::nullopt;
  return T(i);
}

torch::Tensor Args::TOrUndef(size_t i) const {
  if (IsNull(i)) return torch::Tensor();
  return T(i);
}

std::vector<torch::Tensor> Args::Tensors(size_t i) const {
  if (!info_[i].IsArray()) Bad(i, "an array of tensors");
  Napi::Array a = info_[i].As<Napi::Array>();
  std::vector<torch::Tensor> out;
  out.reserve(a.Length());
  for (uint32_t k = 0; k < a.Length(); ++k) {
    Napi::Value v = a.Get(k);
    if (!v.IsObject() || !v.As<Napi::Object>().InstanceOf(env_.GetInstanceData<AddonData>()->tensorCtor.Value())) {
      Bad(i, "an array of tensors");
    }
    out.push_back(TensorHandle::Unwrap(v.As<Napi::Object>())->Get(env_));
  }
  return out;
}

double Args::Num(size_t i) const {
  if (!info_[i].IsNumber()) Bad(i, "a number");
  return info_[i].As<Napi::Number>().DoubleValue();
}

int64_t Args::Int(size_t i) const {
  double d = Num(i);
  if (d != static_cast<double>(static_cast<int64_t>(d))) Bad(i, "an integer");
  return static_cast<int64_t>(d);
}

bool Args::Bool(size_t i) const {
  if (!info_[i].IsBoolean()) Bad(i, "a boolean");
  return info_[i].As<Napi::Boolean>().Value();
}

std::string Args::Str(size_t i) const {
  if (!info_[i].IsString()) Bad(i, "a string");
  return info_[i].As<Napi::String>().Utf8Value();
}

std::vector<int64_t> Args::Ints(size_t i) const {
  if (!info_[i].IsArray()) Bad(i, "an array of integers");
  Napi::Array a = info_[i].As<Napi::Array>();
  std::vector<int64_t> out(a.Length());
  for (uint32_t k = 0; k < a.Length(); ++k) {
    Napi::Value v = a.Get(k);
    if (!v.IsNumber()) Bad(i, "an array of integers");
    double d = v.As<Napi::Number>().DoubleValue();
    if (d != static_cast<double>(static_cast<int64_t>(d))) Bad(i, "an array of integers");
    out[k] = static_cast<int64_t>(d);
  }
  return out;
}

c10::optional<std::vector<int64_t>> Args::OptInts(size_t i) const {
  if (IsNull(i)) return c10::nullopt;
  return Ints(i);
}

torch::ScalarType ParseDType(const std::string& s) {
  if (s == "float32") return torch::kFloat32;
  if (s == "float64") return torch::kFloat64;
  if (s == "int64") return torch::kInt64;
  if (s == "bool") return torch::kBool;
  throw std::invalid_argument("unknown dtype '" + s + "' (float32, float64, int64, bool)");
}

const char* DTypeName(torch::ScalarType t) {
  switch (t) {
    case torch::kFloat32: return "float32";
    case torch::kFloat64: return "float64";
    case torch::kInt64: return "int64";
    case torch::kBool: return "bool";
    case torch::kInt32: return "int32";
    case torch::kFloat16: return "float16";
    default: return c10::toString(t);
  }
}

torch::ScalarType Args::DType(size_t i) const { return ParseDType(Str(i)); }

torch::Device Args::Device(size_t i) const { return torch::Device(Str(i)); }

// ---------------------------------------------------------------------------------------------
// Engine settings
// ---------------------------------------------------------------------------------------------

static Napi::Value Version(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), TORCH_VERSION);
}

/**
 * Debian's libtorch calls the system BLAS (OpenBLAS when libopenblas0-pthread is installed), whose
 * own thread pool ignores at::set_num_threads and spin-waits for work: with several training
 * processes on a 2-core machine those spinning threads took half the CPU (measured: GCRN compress
 * jobs at 20 % CPU each; the same job with OPENBLAS_NUM_THREADS=1 ran ~3x faster). So the BLAS
 * pool follows the intra-op setting when the BLAS exposes openblas_set_num_threads (looked up at
 * run time: a no-op with any other BLAS, or with MKL/oneDNN builds of libtorch).
 */
static void* OpenBlasSymbol(const char* name) {
  // Node opens addons without RTLD_GLOBAL, so the BLAS libtorch pulled in is not in the global
  // scope: ask for the already-loaded library by name (RTLD_NOLOAD never loads anything new).
  // The handle is released at once; the library stays loaded by libtorch's own reference.
  for (const char* lib : {"libblas.so.3", "libopenblas.so.0", "libopenblasp.so.0"}) {
    void* h = dlopen(lib, RTLD_LAZY | RTLD_NOLOAD);
    if (h == nullptr) continue;
    void* sym = dlsym(h, name);
    dlclose(h);
    if (sym != nullptr) return sym;
  }
  return nullptr;
}

static void BlasSetNumThreads(int n) {
  auto fn = reinterpret_cast<void (*)(int)>(OpenBlasSymbol("openblas_set_num_threads"));
  if (fn != nullptr) fn(n);
}

/** OpenBLAS's thread count, or -1 when libtorch's BLAS is not OpenBLAS. */
static Napi::Value BlasNumThreads(const Napi::CallbackInfo& info) {
  auto fn = reinterpret_cast<int (*)()>(OpenBlasSymbol("openblas_get_num_threads"));
  return Napi::Number::New(info.Env(), fn != nullptr ? fn() : -1);
}

static Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  Args a(info);
  int64_t n = a.Int(0);
  if (n < 1) throw Napi::RangeError::New(info.Env(), "setNumThreads: n must be >= 1");
  at::set_num_threads(static_cast<int>(n));
  BlasSetNumThreads(static_cast<int>(n));
  return info.Env().Undefined();
}

static Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

static Napi::Value ManualSeed(const Napi::CallbackInfo& info) {
  Args a(info);
  torch::manual_seed(static_cast<uint64_t>(a.Int(0)));
  return info.Env().Undefined();
}

static Napi::Value CudaAvailable(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), torch::cuda::is_available());
}

// Grad mode is thread-local in libtorch; every call comes from the JS thread, so a flag set here
// holds for the following calls until reset (noGrad() in torch.ts restores it in `finally`).
static Napi::Value SetGradEnabled(const Napi::CallbackInfo& info) {
  Args a(info);
  at::GradMode::set_enabled(a.Bool(0));
  return info.Env().Undefined();
}

static Napi::Value IsGradEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::GradMode::is_enabled());
}

static Napi::Value LiveTensors(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(TensorHandle::live.load()));
}

// ---------------------------------------------------------------------------------------------
// Per-tensor accessors
// ---------------------------------------------------------------------------------------------

static Napi::Value Dispose(const Napi::CallbackInfo& info) {
  Args a(info);
  a.T(0);  // type check
  TensorHandle::Unwrap(info[0].As<Napi::Object>())->Release(info.Env());
  return info.Env().Undefined();
}

static Napi::Value Shape(const Napi::CallbackInfo& info) {
  Args a(info);
  auto sizes = a.T(0).sizes();
  Napi::Array out = Napi::Array::New(info.Env(), sizes.size());
  for (size_t i = 0; i < sizes.size(); ++i) out.Set(static_cast<uint32_t>(i), static_cast<double>(sizes[i]));
  return out;
}

static Napi::Value DTypeOf(const Napi::CallbackInfo& info) {
  Args a(info);
  return Napi::String::New(info.Env(), DTypeName(a.T(0).scalar_type()));
}

static Napi::Value DeviceOf(const Napi::CallbackInfo& info) {
  Args a(info);
  return Napi::String::New(info.Env(), a.T(0).device().str());
}

static Napi::Value Numel(const Napi::CallbackInfo& info) {
  Args a(info);
  return Napi::Number::New(info.Env(), static_cast<double>(a.T(0).numel()));
}

static Napi::Value RequiresGrad(const Napi::CallbackInfo& info) {
  Args a(info);
  return Napi::Boolean::New(info.Env(), a.T(0).requires_grad());
}

static Napi::Value SetRequiresGrad(const Napi::CallbackInfo& info) {
  Args a(info);
  a.T(0).set_requires_grad(a.Bool(1));
  return info.Env().Undefined();
}

static Napi::Value Grad(const Napi::CallbackInfo& info) {
  Args a(info);
  const torch::Tensor& g = a.T(0).grad();
  if (!g.defined()) return info.Env().Null();
  return Wrap(info.Env(), g);
}

static Napi::Value ZeroGrad(const Napi::CallbackInfo& info) {
  Args a(info);
  torch::Tensor& t = a.T(0);
  if (t.grad().defined()) {
    torch::NoGradGuard ng;
    t.mutable_grad().zero_();
  }
  return info.Env().Undefined();
}

static Napi::Value Backward(const Napi::CallbackInfo& info) {
  Args a(info);
  torch::Tensor& t = a.T(0);
  torch::Tensor g = a.TOrUndef(1);
  bool retain = a.Bool(2);
  t.backward(g, retain);
  return info.Env().Undefined();
}

static Napi::Value Item(const Napi::CallbackInfo& info) {
  Args a(info);
  return Napi::Number::New(info.Env(), a.T(0).item<double>());
}

// Zero-copy view. The ArrayBuffer's finaliser owns a heap copy of the tensor (a second reference
// to the same TensorImpl/storage), so the memory outlives both the handle and dispose().
static Napi::Value Data(const Napi::CallbackInfo& info) {
  Args a(info);
  torch::Tensor& t = a.T(0);
  if (t.scalar_type() != torch::kFloat32 || !t.device().is_cpu() || !t.is_contiguous()) {
    throw Napi::Error::New(info.Env(),
                           "data() needs a contiguous float32 CPU tensor (got " + std::string(DTypeName(t.scalar_type())) +
                               (t.is_contiguous() ? "" : ", non-contiguous") + " on " + t.device().str() +
                               "); use .contiguous() / .toDtype('float32') / .to('cpu') or toFloat32Array()");
  }
  size_t n = static_cast<size_t>(t.numel());
  if (n == 0) return Napi::Float32Array::New(info.Env(), 0);
  auto* keep = new torch::Tensor(t);
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(
      info.Env(), keep->data_ptr<float>(), n * sizeof(float),
      [](Napi::Env, void*, torch::Tensor* hint) { delete hint; }, keep);
  return Napi::Float32Array::New(info.Env(), n, ab, 0);
}

template <typename T, napi_typedarray_type kType, torch::ScalarType kScalar>
static Napi::Value CopyOut(const Napi::CallbackInfo& info) {
  Args a(info);
  torch::Tensor c = a.T(0).detach().to(torch::kCPU, kScalar).contiguous();
  size_t n = static_cast<size_t>(c.numel());
  auto out = Napi::TypedArrayOf<T>::New(info.Env(), n, kType);
  if (n > 0) std::memcpy(out.Data(), c.data_ptr<T>(), n * sizeof(T));
  return out;
}

// A CPU tensor viewing the JS typed array's memory (valid only during this call).
static torch::Tensor BlobOf(const Args& a, size_t i, c10::IntArrayRef shape) {
  Napi::Value v = a[i];
  if (!v.IsTypedArray()) throw Napi::TypeError::New(a.Env(), "expected a Float32Array, Float64Array or Int32Array");
  Napi::TypedArray ta = v.As<Napi::TypedArray>();
  torch::ScalarType st;
  switch (ta.TypedArrayType()) {
    case napi_float32_array: st = torch::kFloat32; break;
    case napi_float64_array: st = torch::kFloat64; break;
    case napi_int32_array: st = torch::kInt32; break;
    default: throw Napi::TypeError::New(a.Env(), "expected a Float32Array, Float64Array or Int32Array");
  }
  int64_t numel = 1;
  for (int64_t s : shape) numel *= s;
  if (static_cast<int64_t>(ta.ElementLength()) != numel) {
    throw Napi::RangeError::New(a.Env(), "host array has " + std::to_string(ta.ElementLength()) +
                                             " elements but the shape needs " + std::to_string(numel));
  }
  void* ptr = static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
  return torch::from_blob(ptr, shape, torch::TensorOptions().dtype(st));
}

static Napi::Value CopyFromArray(const Napi::CallbackInfo& info) {
  Args a(info);
  torch::Tensor& t = a.T(0);
  torch::Tensor src = BlobOf(a, 1, t.sizes());
  torch::NoGradGuard ng;
  t.copy_(src);
  return info.Env().Undefined();
}

static Napi::Value CopyFromTensor(const Napi::CallbackInfo& info) {
  Args a(info);
  torch::NoGradGuard ng;
  a.T(0).copy_(a.T(1));
  return info.Env().Undefined();
}

static Napi::Value FillInPlace(const Napi::CallbackInfo& info) {
  Args a(info);
  torch::NoGradGuard ng;
  a.T(0).fill_(a.Num(1));
  return info.Env().Undefined();
}

static Napi::Value MulInPlace(const Napi::CallbackInfo& info) {
  Args a(info);
  torch::NoGradGuard ng;
  if (a.IsNumber(1)) a.T(0).mul_(a.Num(1));
  else a.T(0).mul_(a.T(1));
  return info.Env().Undefined();
}

static Napi::Value AddInPlace(const Napi::CallbackInfo& info) {
  Args a(info);
  torch::NoGradGuard ng;
  double alpha = a.Num(2);
  if (a.IsNumber(1)) a.T(0).add_(a.Num(1) * alpha);
  else a.T(0).add_(a.T(1), alpha);
  return info.Env().Undefined();
}

// fromArray(typedArray, shape, dtype, device, requiresGrad): copies.
static Napi::Value FromArray(const Napi::CallbackInfo& info) {
  Args a(info);
  std::vector<int64_t> shape = a.Ints(1);
  torch::Tensor blob = BlobOf(a, 0, shape);
  torch::Tensor t = blob.to(a.Device(3), a.DType(2), /*non_blocking=*/false, /*copy=*/true);
  if (a.Bool(4)) t.set_requires_grad(true);
  return Wrap(info.Env(), t);
}

// ---------------------------------------------------------------------------------------------
// Init
// ---------------------------------------------------------------------------------------------

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  data->tensorCtor = Napi::Persistent(TensorHandle::Init(env));
  env.SetInstanceData(data);

  // glibc raises its mmap threshold each time a large mmapped block is freed (up to 32 MiB), after
  // which libtorch's multi-MB activations come from the heap and are not returned: RSS then grows by
  // about one activation per forward without any tensor alive (measured: 4-MB tensors, 400 forwards,
  // 1.5-2.3 GiB; a separation compress run reached 22 GB). Fixing the threshold turns the dynamic
  // adjustment off, so large blocks stay mmapped and go back to the system on free (RSS flat at 196 MiB).
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  // The machine running training is shared: start at 2 intra-op threads (setNumThreads changes it).
  at::set_num_threads(2);
  BlasSetNumThreads(2);

  Export<Version>(env, exports, "version");
  Export<SetNumThreads>(env, exports, "setNumThreads");
  Export<GetNumThreads>(env, exports, "getNumThreads");
  Export<BlasNumThreads>(env, exports, "blasNumThreads");
  Export<ManualSeed>(env, exports, "manualSeed");
  Export<CudaAvailable>(env, exports, "cudaAvailable");
  Export<SetGradEnabled>(env, exports, "setGradEnabled");
  Export<IsGradEnabled>(env, exports, "isGradEnabled");
  Export<LiveTensors>(env, exports, "liveTensors");

  Export<Dispose>(env, exports, "dispose");
  Export<Shape>(env, exports, "shape");
  Export<DTypeOf>(env, exports, "dtype");
  Export<DeviceOf>(env, exports, "device");
  Export<Numel>(env, exports, "numel");
  Export<RequiresGrad>(env, exports, "requiresGrad");
  Export<SetRequiresGrad>(env, exports, "setRequiresGrad");
  Export<Grad>(env, exports, "grad");
  Export<ZeroGrad>(env, exports, "zeroGrad");
  Export<Backward>(env, exports, "backward");
  Export<Item>(env, exports, "item");
  Export<Data>(env, exports, "data");
  Export<CopyOut<float, napi_float32_array, torch::kFloat32>>(env, exports, "toFloat32Array");
  Export<CopyOut<double, napi_float64_array, torch::kFloat64>>(env, exports, "toFloat64Array");
  Export<CopyFromArray>(env, exports, "copyFromArray");
  Export<CopyFromTensor>(env, exports, "copyFromTensor");
  Export<FillInPlace>(env, exports, "fillInPlace");
  Export<MulInPlace>(env, exports, "mulInPlace");
  Export<AddInPlace>(env, exports, "addInPlace");
  Export<FromArray>(env, exports, "fromArray");

  RegisterTensorOps(env, exports);
  RegisterNnOps(env, exports);
  RegisterOptim(env, exports);
  return exports;
}

}  // namespace hp

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return hp::Init(env, exports); }

NODE_API_MODULE(hushpack_torch, InitAddon)
