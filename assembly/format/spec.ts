// Mirror of src/format/spec.ts for the WASM reader: every numeric constant of the .hush format, same
// name, same value. Do not edit one side alone: test/format/specAgree.test.ts compiles this file's
// exports and compares them with the TypeScript constants (and fails on any constant missing here).
// Message templates live only on the TS side; the WASM reader returns codes and numbers.

// ---------------------------------------------------------------------------------------------
// File identity and versioning
// ---------------------------------------------------------------------------------------------

/** "HUSH" as the first four bytes, read as a little-endian u32 (bytes 0x48 0x55 0x53 0x48). */
export const HUSH_MAGIC: i32 = 0x48535548;
/** Changes only for structural changes (a struct's size or a field's meaning); readers reject other majors. */
export const HUSH_VERSION_MAJOR: i32 = 1;
/** Changes when new ids (encodings, sparsity kinds, stream codings, archs, windows) are added; readers accept any minor and reject only ids they do not know. */
export const HUSH_VERSION_MINOR: i32 = 2;
export const HUSH_VERSION_MINOR_SEPARATION: i32 = 1;
/** The minor version that added sparsity kind `blocks`: a writer writes it (at least) only when a tensor uses blocks. */
export const HUSH_VERSION_MINOR_BLOCKS: i32 = 2;
/** Every section and every tensor payload starts at a multiple of this, counted from the start of the file. */
export const HUSH_ALIGN_BYTES: i32 = 16;

// ---------------------------------------------------------------------------------------------
// struct hush_header — 80 bytes at offset 0
// ---------------------------------------------------------------------------------------------

export const HUSH_HEADER_BYTES: i32 = 80;
export const HDR_MAGIC_AT: i32 = 0; //           u32 HUSH_MAGIC
export const HDR_VERSION_MAJOR_AT: i32 = 4; //   u16
export const HDR_VERSION_MINOR_AT: i32 = 6; //   u16
export const HDR_HEADER_BYTES_AT: i32 = 8; //    u32 = HUSH_HEADER_BYTES
export const HDR_FLAGS_AT: i32 = 12; //          u32 reserved, 0
export const HDR_FILE_BYTES_AT: i32 = 16; //     u32 total file length
export const HDR_TENSOR_COUNT_AT: i32 = 20; //   u32 entries in the tensor table
export const HDR_MODEL_AT: i32 = 24; //          hush_section {u32 offset, bytes, crc32}
export const HDR_STRINGS_AT: i32 = 36; //        hush_section
export const HDR_TABLE_AT: i32 = 48; //          hush_section
export const HDR_DATA_OFFSET_AT: i32 = 60; //    u32
export const HDR_DATA_BYTES_AT: i32 = 64; //     u32
export const HDR_RESERVED_AT: i32 = 68; //       u32[2], 0
export const HDR_CRC_AT: i32 = 76; //            u32 CRC-32 of bytes [0, 76)

/** Section ids, in file order; used in error records (where = HUSH_WHERE_SECTION, index = id). */
export const SECTION_MODEL: i32 = 0;
export const SECTION_STRINGS: i32 = 1;
export const SECTION_TABLE: i32 = 2;
export const SECTION_DATA: i32 = 3;

// ---------------------------------------------------------------------------------------------
// Model section: struct hush_model (48 bytes), hush_hparam[hparam_count], hush_meta[meta_count],
// f64 values[value_count]
// ---------------------------------------------------------------------------------------------

export const HUSH_MODEL_FIXED_BYTES: i32 = 48;
export const MODEL_ARCH_AT: i32 = 0; //            u32 HUSH_ARCH_*
export const MODEL_SAMPLE_RATE_AT: i32 = 4; //     u32 Hz
export const MODEL_WINDOW_AT: i32 = 8; //          u32 window length, samples
export const MODEL_HOP_AT: i32 = 12; //            u32 hop, samples
export const MODEL_FFT_AT: i32 = 16; //            u32 DFT length, samples (≥ window)
export const MODEL_WINDOW_KIND_AT: i32 = 20; //    u32 HUSH_WINDOW_*
export const MODEL_HPARAM_COUNT_AT: i32 = 24; //   u32
export const MODEL_META_COUNT_AT: i32 = 28; //     u32
export const MODEL_VALUE_COUNT_AT: i32 = 32; //    u32 f64 values after the entries
export const MODEL_TASK_AT: i32 = 36; //           u32 HUSH_TASK_* (1.1)
export const MODEL_OUTPUT_COUNT_AT: i32 = 40; //   u32 0 (enhance) or 2..HUSH_MAX_OUTPUTS (separate)
export const MODEL_RESERVED_AT: i32 = 44; //       u32, 0

/** struct hush_hparam — 16 bytes. */
export const HUSH_HPARAM_BYTES: i32 = 16;
export const HPARAM_NAME_OFFSET_AT: i32 = 0; //   u32 into the strings section
export const HPARAM_NAME_BYTES_AT: i32 = 4; //    u32
export const HPARAM_KIND_AT: i32 = 8; //          u32 HUSH_HPARAM_*
export const HPARAM_COUNT_AT: i32 = 12; //        u32 values (1 for a number)

/** struct hush_meta — 16 bytes: a string key and a string value, both in the strings section. */
export const HUSH_META_BYTES: i32 = 16;
export const META_KEY_OFFSET_AT: i32 = 0;
export const META_KEY_BYTES_AT: i32 = 4;
export const META_VALUE_OFFSET_AT: i32 = 8;
export const META_VALUE_BYTES_AT: i32 = 12;

/** Architecture ids; index = position in src/models/config.ts ARCH_NAMES + 1. */
export const HUSH_ARCH_FDNN: i32 = 1;
export const HUSH_ARCH_LSTM: i32 = 2;
export const HUSH_ARCH_TCNN: i32 = 3;
export const HUSH_ARCH_GCRN: i32 = 4;
export const HUSH_ARCH_CONV_TASNET: i32 = 5;
export const HUSH_ARCH_UPIT_LSTM: i32 = 6;
export const HUSH_ARCH_MAX: i32 = 6;
export const HUSH_ARCH_ENHANCE_MAX: i32 = 4;
export const HUSH_TASK_ENHANCE: i32 = 0;
export const HUSH_TASK_SEPARATE: i32 = 1;
export const HUSH_TASK_MAX: i32 = 1;
export const HUSH_MIN_SEPARATE_OUTPUTS: i32 = 2;
export const HUSH_MAX_OUTPUTS: i32 = 8;

/** Analysis window kinds. Periodic Hamming is torch.hamming_window's default; TCNN frames are rectangular. */
export const HUSH_WINDOW_HAMMING_PERIODIC: i32 = 1;
export const HUSH_WINDOW_HAMMING_SYMMETRIC: i32 = 2;
export const HUSH_WINDOW_RECTANGULAR: i32 = 3;
export const HUSH_WINDOW_MAX: i32 = 3;

/** Hyper-parameter value kinds: a single number, or a list (kept distinct so [16] ≠ 16 round-trips). */
export const HUSH_HPARAM_NUMBER: i32 = 0;
export const HUSH_HPARAM_LIST: i32 = 1;

export const HUSH_SAMPLE_RATE_MIN_HZ: i32 = 1000;
export const HUSH_SAMPLE_RATE_MAX_HZ: i32 = 384000;
export const HUSH_MAX_WINDOW_SAMPLES: i32 = 65536;

// ---------------------------------------------------------------------------------------------
// Tensor table: struct hush_tensor — 80 bytes each
// ---------------------------------------------------------------------------------------------

export const HUSH_TENSOR_BYTES: i32 = 80;
export const TENSOR_NAME_OFFSET_AT: i32 = 0; //   u32 into the strings section
export const TENSOR_NAME_BYTES_AT: i32 = 4; //    u32
export const TENSOR_ENCODING_AT: i32 = 8; //      u8 HUSH_ENC_*
export const TENSOR_RANK_AT: i32 = 9; //          u8 0..HUSH_MAX_RANK
export const TENSOR_FLAGS_AT: i32 = 10; //        u8 HUSH_TF_*
export const TENSOR_RESERVED0_AT: i32 = 11; //    u8, 0
export const TENSOR_DIMS_AT: i32 = 12; //         u32[4], outermost first; unused dims 0
export const TENSOR_COUNT_AT: i32 = 28; //        u32 elements = product of dims
export const TENSOR_DATA_OFFSET_AT: i32 = 32; //  u32 payload offset from the data section's start
export const TENSOR_DATA_BYTES_AT: i32 = 36; //   u32 payload bytes
export const TENSOR_DATA_CRC_AT: i32 = 40; //     u32 CRC-32 of the payload
export const TENSOR_RESERVED1_AT: i32 = 44; //    u32, 0
/** Encoding parameters (union, 32 bytes); all zero for dense encodings. */
export const TENSOR_PARAMS_AT: i32 = 48;
// k-means and sparse parameters:
export const TENSOR_K_AT: i32 = 48; //             u32 clusters (k-means), 0 (sparse)
export const TENSOR_BITS_AT: i32 = 52; //          u8 ceil(log2 K), 0 (sparse)
export const TENSOR_VALUE_DTYPE_AT: i32 = 53; //   u8 HUSH_DTYPE_* of the codebook (k-means) or values (sparse)
export const TENSOR_STREAM_CODING_AT: i32 = 54; // u8 HUSH_STREAM_*
export const TENSOR_SPARSITY_AT: i32 = 55; //      u8 HUSH_SPARSITY_*
export const TENSOR_NONZEROS_AT: i32 = 56; //      u32 stored weights N
export const TENSOR_STREAM_BYTES_AT: i32 = 60; //  u32 index stream (k-means) / values (sparse) bytes
export const TENSOR_SPARSITY_BYTES_AT: i32 = 64; // u32 sparsity block bytes
export const TENSOR_SPARSITY_PARAM_AT: i32 = 68; // u32 gap width | group axis << 8
export const TENSOR_PARAMS_RESERVED_AT: i32 = 72; // u32[2], 0
// MPO parameters:
export const TENSOR_MPO_CORES_AT: i32 = 48; //     u32 cores, stored as the next entries of the table

export const HUSH_MAX_RANK: i32 = 4;

/** Tensor encodings (hush_tensor.encoding). 0 is never valid. */
export const HUSH_ENC_F32: i32 = 1;
export const HUSH_ENC_F16: i32 = 2;
export const HUSH_ENC_KMEANS: i32 = 3;
export const HUSH_ENC_SPARSE: i32 = 4;
export const HUSH_ENC_MPO: i32 = 5;
export const HUSH_ENC_MAX: i32 = 5;

/** Element types of codebooks and sparse values. */
export const HUSH_DTYPE_F32: i32 = 1;
export const HUSH_DTYPE_F16: i32 = 2;

/** Index stream codings. 0: LSB-first bit-packed; ids from 1 are kept for entropy-coded streams. */
export const HUSH_STREAM_PACKED: i32 = 0;

/** Sparsity patterns: which elements are stored (the rest are 0). */
export const HUSH_SPARSITY_NONE: i32 = 0;
export const HUSH_SPARSITY_BITMAP: i32 = 1;
export const HUSH_SPARSITY_DELTA: i32 = 2;
export const HUSH_SPARSITY_GROUPS: i32 = 3;
/** Minor 2: 4x1 / 8x1 / 1x4 blocks of the matrix view, weights stored in block order (docs/format.md "Blocks"). */
export const HUSH_SPARSITY_BLOCKS: i32 = 4;
export const HUSH_SPARSITY_MAX: i32 = 4;

/** True for the block shapes of sparsity `blocks` (src/format/spec.ts blockShapeValid): 4x1, 8x1, 1x4. */
export function blockShapeValid(rows: u32, cols: u32): bool {
  return (cols == 1 && (rows == 4 || rows == 8)) || (rows == 1 && cols == 4);
}

/** Group geometry of a tensor of shape [d0, d1, ...rest]: slices along dim 0, along dim 1, or (d0, d1) kernels. */
export const HUSH_GROUP_DIM0: i32 = 0;
export const HUSH_GROUP_DIM1: i32 = 1;
export const HUSH_GROUP_KERNEL: i32 = 2;

/** Tensor flags. */
export const HUSH_TF_MPO_CORE: i32 = 1; //    this entry is a core of the MPO tensor before it
export const HUSH_TF_BN_FOLDED: i32 = 2; //   a BatchNorm was folded into this conv weight/bias at export
export const HUSH_TF_ALL: i32 = 3;

// ---------------------------------------------------------------------------------------------
// Limits (each one a reader check; chosen far above the paper's largest net)
// ---------------------------------------------------------------------------------------------

export const HUSH_MAX_TENSORS: i32 = 4096;
export const HUSH_MAX_HPARAMS: i32 = 256;
export const HUSH_MAX_META: i32 = 256;
export const HUSH_MAX_VALUES: i32 = 65536;
export const HUSH_MAX_NAME_BYTES: i32 = 1024;
export const HUSH_MAX_META_VALUE_BYTES: i32 = 65536;
/** 2^28 elements: a 1 GiB f32 tensor, beyond what a 32-bit WASM memory can hold decoded twice. */
export const HUSH_MAX_ELEMENTS: i32 = 268435456;
export const HUSH_MAX_K: i32 = 65536;
export const HUSH_MAX_BITS: i32 = 16;
export const HUSH_MAX_GAP_BITS: i32 = 16;
export const HUSH_MAX_MPO_CORES: i32 = 16;
/** Bond dimensions bounded so that the WASM decoder's two bond vectors fit a static 8 KiB scratch. */
export const HUSH_MAX_MPO_BOND: i32 = 1024;

// ---------------------------------------------------------------------------------------------
// Errors: codes, where they happen, message templates
// ---------------------------------------------------------------------------------------------

/** Error locations (error record `where`); `index` then numbers the section, hparam, meta entry or tensor. */
export const HUSH_WHERE_FILE: i32 = 0;
export const HUSH_WHERE_SECTION: i32 = 1;
export const HUSH_WHERE_HPARAM: i32 = 2;
export const HUSH_WHERE_META: i32 = 3;
export const HUSH_WHERE_TENSOR: i32 = 4;

export const HUSH_OK: i32 = 0;
export const HUSH_E_TRUNCATED_HEADER: i32 = 1;
export const HUSH_E_BAD_MAGIC: i32 = 2;
export const HUSH_E_VERSION: i32 = 3;
export const HUSH_E_HEADER_CRC: i32 = 4;
export const HUSH_E_HEADER_SIZE: i32 = 5;
export const HUSH_E_RESERVED: i32 = 6;
export const HUSH_E_TENSOR_COUNT: i32 = 7;
export const HUSH_E_SECTION_OFFSET: i32 = 8;
export const HUSH_E_SECTION_SIZE: i32 = 9;
export const HUSH_E_SECTION_PAST_END: i32 = 10;
export const HUSH_E_SECTION_CRC: i32 = 11;
export const HUSH_E_PADDING: i32 = 12;
export const HUSH_E_ARCH: i32 = 13;
export const HUSH_E_SAMPLE_RATE: i32 = 14;
export const HUSH_E_WINDOW_SAMPLES: i32 = 15;
export const HUSH_E_HOP_SAMPLES: i32 = 16;
export const HUSH_E_FFT_SIZE: i32 = 17;
export const HUSH_E_WINDOW_KIND: i32 = 18;
export const HUSH_E_HPARAM_COUNT: i32 = 19;
export const HUSH_E_META_COUNT: i32 = 20;
export const HUSH_E_VALUE_LIMIT: i32 = 21;
export const HUSH_E_VALUE_COUNT: i32 = 22;
export const HUSH_E_NAME_LENGTH: i32 = 23;
export const HUSH_E_NAME_PAST_STRINGS: i32 = 24;
export const HUSH_E_NAME_UTF8: i32 = 25;
export const HUSH_E_NAME_DUPLICATE: i32 = 26;
export const HUSH_E_HPARAM_KIND: i32 = 27;
export const HUSH_E_HPARAM_NUMBER_COUNT: i32 = 28;
export const HUSH_E_HPARAM_VALUES_PAST: i32 = 29;
export const HUSH_E_HPARAM_VALUE: i32 = 30;
export const HUSH_E_META_VALUE_LENGTH: i32 = 31;
export const HUSH_E_META_VALUE_PAST_STRINGS: i32 = 32;
export const HUSH_E_META_VALUE_UTF8: i32 = 33;
export const HUSH_E_ENCODING: i32 = 34;
export const HUSH_E_RANK: i32 = 35;
export const HUSH_E_DIM_ZERO: i32 = 36;
export const HUSH_E_TOO_MANY_ELEMENTS: i32 = 37;
export const HUSH_E_COUNT: i32 = 38;
export const HUSH_E_FLAGS: i32 = 39;
export const HUSH_E_MPO_CORE_MISSING: i32 = 40;
export const HUSH_E_MPO_NESTED: i32 = 41;
export const HUSH_E_MPO_CORE_RANK: i32 = 42;
export const HUSH_E_MPO_BOND: i32 = 43;
export const HUSH_E_MPO_BOND_LIMIT: i32 = 44;
export const HUSH_E_MPO_ROWS: i32 = 45;
export const HUSH_E_MPO_COLS: i32 = 46;
export const HUSH_E_MPO_ORPHAN_CORE: i32 = 47;
export const HUSH_E_MPO_CORE_COUNT: i32 = 48;
export const HUSH_E_MPO_CORES_PAST_TABLE: i32 = 49;
export const HUSH_E_MPO_RANK: i32 = 50;
export const HUSH_E_DATA_OFFSET: i32 = 51;
export const HUSH_E_K_RANGE: i32 = 52;
export const HUSH_E_BITS: i32 = 53;
export const HUSH_E_DTYPE: i32 = 54;
export const HUSH_E_STREAM_CODING: i32 = 55;
export const HUSH_E_SPARSITY_KIND: i32 = 56;
export const HUSH_E_NONZEROS: i32 = 57;
export const HUSH_E_STREAM_BYTES: i32 = 58;
export const HUSH_E_SPARSITY_NONE_COUNT: i32 = 59;
export const HUSH_E_SPARSITY_BYTES: i32 = 60;
export const HUSH_E_SPARSITY_PARAM: i32 = 61;
export const HUSH_E_GROUP_AXIS: i32 = 62;
export const HUSH_E_GROUP_NONZEROS: i32 = 63;
export const HUSH_E_PAYLOAD_SIZE: i32 = 64;
export const HUSH_E_DATA_PAST_END: i32 = 65;
export const HUSH_E_CODEBOOK_PAST_END: i32 = 66;
export const HUSH_E_INDEX_PAST_END: i32 = 67;
export const HUSH_E_VALUES_PAST_END: i32 = 68;
export const HUSH_E_SPARSITY_PAST_END: i32 = 69;
export const HUSH_E_PAYLOAD_CRC: i32 = 70;
export const HUSH_E_VALUE_NOT_FINITE: i32 = 71;
export const HUSH_E_CODEBOOK_NOT_FINITE: i32 = 72;
export const HUSH_E_INDEX_RANGE: i32 = 73;
export const HUSH_E_INDEX_PADDING: i32 = 74;
export const HUSH_E_BITMAP_PADDING: i32 = 75;
export const HUSH_E_BITMAP_COUNT: i32 = 76;
export const HUSH_E_GAP_STREAM_SHORT: i32 = 77;
export const HUSH_E_POSITION_RANGE: i32 = 78;
export const HUSH_E_GROUP_RANGE: i32 = 79;
export const HUSH_E_GAP_STREAM_LENGTH: i32 = 80;
export const HUSH_E_GAP_PADDING: i32 = 81;
export const HUSH_E_FILE_SIZE: i32 = 82;
export const HUSH_E_TRAILING_BYTES: i32 = 83;
/** A read outside the file was attempted and refused: a reader bug, never a file problem. The fuzz tests assert it never happens. */
export const HUSH_E_INTERNAL_BOUNDS: i32 = 84;
/** Decode-time (not open-time) errors of the WASM reader's decode call. */
export const HUSH_E_DECODE_CAPACITY: i32 = 85;
export const HUSH_E_DECODE_INDEX: i32 = 86;
export const HUSH_E_TASK: i32 = 87;
export const HUSH_E_OUTPUT_COUNT: i32 = 88;
export const HUSH_E_ARCH_TASK: i32 = 89;
/** Sparsity `blocks` (minor 2): parameters and contents. */
export const HUSH_E_BLOCK_SHAPE: i32 = 90;
export const HUSH_E_BLOCK_RANK: i32 = 91;
export const HUSH_E_BLOCK_TILING: i32 = 92;
export const HUSH_E_BLOCK_NONZEROS: i32 = 93;
export const HUSH_E_BLOCK_RANGE: i32 = 94;

/** Rounds `offset` up to the next multiple of HUSH_ALIGN_BYTES (src/format/spec.ts alignOffset). */
// @ts-ignore: decorator
@inline export function alignOffset(offset: u64): u64 {
  return (offset + <u64>(HUSH_ALIGN_BYTES - 1)) & ~<u64>(HUSH_ALIGN_BYTES - 1);
}
