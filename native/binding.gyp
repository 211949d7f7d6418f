# The hushpack libtorch addon (see README.md). Build: `npm run build:native` from the repo root.
# libtorch comes from $LIBTORCH (an unpacked libtorch tree) or Debian's libtorch-dev; libtorch.mjs
# finds it and fails with a clear message when it is missing.
{
  "targets": [
    {
      "target_name": "hushpack_torch",
      "sources": [
        "src/addon.cc",
        "src/ops_tensor.cc",
        "src/ops_nn.cc",
        "src/optim.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node libtorch.mjs include)"
      ],
      "defines": [
        "NAPI_CPP_EXCEPTIONS",
        "NAPI_VERSION=8",
        "<!@(node libtorch.mjs defines)"
      ],
      # libtorch needs C++17 and exceptions (its errors become JS Errors); RTTI for dynamic casts
      # in its headers. -O2 as libtorch's own extensions.
      "cflags!": ["-fno-exceptions", "-fno-rtti", "-O3"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++14", "-O3"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-O2", "-Wno-unused-parameter", "-Wno-deprecated-declarations"],
      "libraries": ["<!@(node libtorch.mjs libs)"]
    }
  ]
}
