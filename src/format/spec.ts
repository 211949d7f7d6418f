/**
 * The `.hush` file format's constants, defined once (docs/format.md is the prose; this is the law).
 * assembly/format/spec.ts mirrors every numeric constant here for the WASM reader, and
 * test/format/specAgree.test.ts checks that the two agree by reading the WASM module's exported
 * globals. Never paste a table in two places: add a constant here, mirror it there, and the test
 * tells you when you forgot.
 *
 * All multi-byte fields are little-endian. Offsets named `*_AT` are byte offsets of a field within
 * its struct; `*_BYTES` are struct or block sizes.
 */

// ---------------------------------------------------------------------------------------------
// File identity and versioning
// ---------------------------------------------------------------------------------------------

/** "HUSH" as the first four bytes, read as a little-endian u32 (bytes 0x48 0x55 0x53 0x48). */
export const HUSH_MAGIC = 0x48535548;
/** Changes only for structural changes (a struct's size or a field's meaning); readers reject other majors. */
export const HUSH_VERSION_MAJOR = 1;
/**
 * The newest minor version this code knows. Changes when new ids (encodings, sparsity kinds, stream
 * codings, archs, windows, tasks) are added; readers accept any minor and reject only ids they do
 * not know; writers write the lowest minor whose ids a file uses (writer.ts hushTaskFields).
 */
export const HUSH_VERSION_MINOR = 2;
/** The minor version that added the task and output count (speaker separation) and archs 5–6. */
export const HUSH_VERSION_MINOR_SEPARATION = 1;
/** The minor version that added sparsity kind `blocks`: a writer writes it (at least) only when a tensor uses blocks. */
export const HUSH_VERSION_MINOR_BLOCKS = 2;
/** Every section and every tensor payload starts at a multiple of this, counted from the start of the file. */
export const HUSH_ALIGN_BYTES = 16;

/** Rounds `offset` up to the next multiple of `align` (a power of two); the only alignment rule in the format. */
export function alignOffset(offset: number, align: number = HUSH_ALIGN_BYTES): number {
  return Math.ceil(offset / align) * align;
}

// ---------------------------------------------------------------------------------------------
// struct hush_header — 80 bytes at offset 0
// ---------------------------------------------------------------------------------------------

export const HUSH_HEADER_BYTES = 80;
export const HDR_MAGIC_AT = 0; //           u32 HUSH_MAGIC
export const HDR_VERSION_MAJOR_AT = 4; //   u16
export const HDR_VERSION_MINOR_AT = 6; //   u16
export const HDR_HEADER_BYTES_AT = 8; //    u32 = HUSH_HEADER_BYTES
export const HDR_FLAGS_AT = 12; //          u32 reserved, 0
export const HDR_FILE_BYTES_AT = 16; //     u32 total file length
export const HDR_TENSOR_COUNT_AT = 20; //   u32 entries in the tensor table
export const HDR_MODEL_AT = 24; //          hush_section {u32 offset, bytes, crc32}
export const HDR_STRINGS_AT = 36; //        hush_section
export const HDR_TABLE_AT = 48; //          hush_section
export const HDR_DATA_OFFSET_AT = 60; //    u32
export const HDR_DATA_BYTES_AT = 64; //     u32
export const HDR_RESERVED_AT = 68; //       u32[2], 0
export const HDR_CRC_AT = 76; //            u32 CRC-32 of bytes [0, 76)

/** Section ids, in file order; used in error records (where = HUSH_WHERE_SECTION, index = id). */
export const SECTION_MODEL = 0;
export const SECTION_STRINGS = 1;
export const SECTION_TABLE = 2;
export const SECTION_DATA = 3;
export const HUSH_SECTION_NAMES = ['model', 'strings', 'table', 'data'] as const;

// ---------------------------------------------------------------------------------------------
// Model section: struct hush_model (48 bytes), hush_hparam[hparam_count], hush_meta[meta_count],
// f64 values[value_count]
// ---------------------------------------------------------------------------------------------

export const HUSH_MODEL_FIXED_BYTES = 48;
export const MODEL_ARCH_AT = 0; //            u32 HUSH_ARCH_*
export const MODEL_SAMPLE_RATE_AT = 4; //     u32 Hz
export const MODEL_WINDOW_AT = 8; //          u32 window length, samples
export const MODEL_HOP_AT = 12; //            u32 hop, samples
export const MODEL_FFT_AT = 16; //            u32 DFT length, samples (≥ window)
export const MODEL_WINDOW_KIND_AT = 20; //    u32 HUSH_WINDOW_*
export const MODEL_HPARAM_COUNT_AT = 24; //   u32
export const MODEL_META_COUNT_AT = 28; //     u32
export const MODEL_VALUE_COUNT_AT = 32; //    u32 f64 values after the entries
export const MODEL_TASK_AT = 36; //           u32 HUSH_TASK_* (1.1; reserved 0 in 1.0)
export const MODEL_OUTPUT_COUNT_AT = 40; //   u32 output signals: 0 for enhance, 2..HUSH_MAX_OUTPUTS for separate (1.1)
export const MODEL_RESERVED_AT = 44; //       u32, 0

/** struct hush_hparam — 16 bytes. */
export const HUSH_HPARAM_BYTES = 16;
export const HPARAM_NAME_OFFSET_AT = 0; //   u32 into the strings section
export const HPARAM_NAME_BYTES_AT = 4; //    u32
export const HPARAM_KIND_AT = 8; //          u32 HUSH_HPARAM_*
export const HPARAM_COUNT_AT = 12; //        u32 values (1 for a number)

/** struct hush_meta — 16 bytes: a string key and a string value, both in the strings section. */
export const HUSH_META_BYTES = 16;
export const META_KEY_OFFSET_AT = 0;
export const META_KEY_BYTES_AT = 4;
export const META_VALUE_OFFSET_AT = 8;
export const META_VALUE_BYTES_AT = 12;

/** Architecture ids; index = position in src/models/config.ts ARCH_NAMES + 1. */
export const HUSH_ARCH_FDNN = 1;
export const HUSH_ARCH_LSTM = 2;
export const HUSH_ARCH_TCNN = 3;
export const HUSH_ARCH_GCRN = 4;
/** Separation nets (1.1): causal Conv-TasNet and uPIT-LSTM (src/models/separation). */
export const HUSH_ARCH_CONV_TASNET = 5;
export const HUSH_ARCH_UPIT_LSTM = 6;
export const HUSH_ARCH_MAX = 6;
/** The last enhancement arch id: 1..4 enhance, 5..HUSH_ARCH_MAX separate. */
export const HUSH_ARCH_ENHANCE_MAX = 4;

/** What the net's outputs are (hush_model.task). 0 is enhance so that 1.0 files (reserved 0) read as enhancement. */
export const HUSH_TASK_ENHANCE = 0;
export const HUSH_TASK_SEPARATE = 1;
export const HUSH_TASK_MAX = 1;
/** Output signals of a separation model (speakers): 2..HUSH_MAX_OUTPUTS. An enhancement model stores 0 (one output). */
export const HUSH_MIN_SEPARATE_OUTPUTS = 2;
export const HUSH_MAX_OUTPUTS = 8;

/** Analysis window kinds. Periodic Hamming is torch.hamming_window's default; TCNN frames are rectangular. */
export const HUSH_WINDOW_HAMMING_PERIODIC = 1;
export const HUSH_WINDOW_HAMMING_SYMMETRIC = 2;
export const HUSH_WINDOW_RECTANGULAR = 3;
export const HUSH_WINDOW_MAX = 3;

/** Hyper-parameter value kinds: a single number, or a list (kept distinct so [16] ≠ 16 round-trips). */
export const HUSH_HPARAM_NUMBER = 0;
export const HUSH_HPARAM_LIST = 1;

export const HUSH_SAMPLE_RATE_MIN_HZ = 1000;
export const HUSH_SAMPLE_RATE_MAX_HZ = 384000;
export const HUSH_MAX_WINDOW_SAMPLES = 65536;

// ---------------------------------------------------------------------------------------------
// Tensor table: struct hush_tensor — 80 bytes each
// ---------------------------------------------------------------------------------------------

export const HUSH_TENSOR_BYTES = 80;
export const TENSOR_NAME_OFFSET_AT = 0; //   u32 into the strings section
export const TENSOR_NAME_BYTES_AT = 4; //    u32
export const TENSOR_ENCODING_AT = 8; //      u8 HUSH_ENC_*
export const TENSOR_RANK_AT = 9; //          u8 0..HUSH_MAX_RANK
export const TENSOR_FLAGS_AT = 10; //        u8 HUSH_TF_*
export const TENSOR_RESERVED0_AT = 11; //    u8, 0
export const TENSOR_DIMS_AT = 12; //         u32[4], outermost first; unused dims 0
export const TENSOR_COUNT_AT = 28; //        u32 elements = product of dims
export const TENSOR_DATA_OFFSET_AT = 32; //  u32 payload offset from the data section's start
export const TENSOR_DATA_BYTES_AT = 36; //   u32 payload bytes
export const TENSOR_DATA_CRC_AT = 40; //     u32 CRC-32 of the payload
export const TENSOR_RESERVED1_AT = 44; //    u32, 0
/** Encoding parameters (union, 32 bytes); all zero for dense encodings. */
export const TENSOR_PARAMS_AT = 48;
// k-means and sparse parameters:
export const TENSOR_K_AT = 48; //             u32 clusters (k-means), 0 (sparse)
export const TENSOR_BITS_AT = 52; //          u8 ceil(log2 K), 0 (sparse)
export const TENSOR_VALUE_DTYPE_AT = 53; //   u8 HUSH_DTYPE_* of the codebook (k-means) or values (sparse)
export const TENSOR_STREAM_CODING_AT = 54; // u8 HUSH_STREAM_*
export const TENSOR_SPARSITY_AT = 55; //      u8 HUSH_SPARSITY_*
export const TENSOR_NONZEROS_AT = 56; //      u32 stored weights N
export const TENSOR_STREAM_BYTES_AT = 60; //  u32 index stream (k-means) / values (sparse) bytes
export const TENSOR_SPARSITY_BYTES_AT = 64; // u32 sparsity block bytes
export const TENSOR_SPARSITY_PARAM_AT = 68; // u32 gap width | group axis << 8
export const TENSOR_PARAMS_RESERVED_AT = 72; // u32[2], 0
// MPO parameters:
export const TENSOR_MPO_CORES_AT = 48; //     u32 cores, stored as the next entries of the table

export const HUSH_MAX_RANK = 4;

/** Tensor encodings (hush_tensor.encoding). 0 is never valid. */
export const HUSH_ENC_F32 = 1;
export const HUSH_ENC_F16 = 2;
export const HUSH_ENC_KMEANS = 3;
export const HUSH_ENC_SPARSE = 4;
export const HUSH_ENC_MPO = 5;
export const HUSH_ENC_MAX = 5;

/** Element types of codebooks and sparse values. */
export const HUSH_DTYPE_F32 = 1;
export const HUSH_DTYPE_F16 = 2;

/** Index stream codings. 0: LSB-first bit-packed; ids from 1 are kept for entropy-coded streams. */
export const HUSH_STREAM_PACKED = 0;

/** Sparsity patterns: which elements are stored (the rest are 0). */
export const HUSH_SPARSITY_NONE = 0;
export const HUSH_SPARSITY_BITMAP = 1;
export const HUSH_SPARSITY_DELTA = 2;
export const HUSH_SPARSITY_GROUPS = 3;
/** Minor 2: 4x1 / 8x1 / 1x4 blocks of the matrix view, weights stored in block order (docs/format.md "Blocks"). */
export const HUSH_SPARSITY_BLOCKS = 4;
export const HUSH_SPARSITY_MAX = 4;

/**
 * True for the block shapes of sparsity `blocks`: 4x1 and 8x1 (rows × columns: 4 or 8 outputs of one
 * input, one or two f32x4 per block) and 1x4 (4 inputs of one output). assembly/format/spec.ts mirrors it.
 */
export function blockShapeValid(rows: number, cols: number): boolean {
  return (cols === 1 && (rows === 4 || rows === 8)) || (rows === 1 && cols === 4);
}

/** Group geometry of a tensor of shape [d0, d1, ...rest]: slices along dim 0, along dim 1, or (d0, d1) kernels. */
export const HUSH_GROUP_DIM0 = 0;
export const HUSH_GROUP_DIM1 = 1;
export const HUSH_GROUP_KERNEL = 2;

/** Tensor flags. */
export const HUSH_TF_MPO_CORE = 1; //    this entry is a core of the MPO tensor before it
export const HUSH_TF_BN_FOLDED = 2; //   a BatchNorm was folded into this conv weight/bias at export
export const HUSH_TF_ALL = 3;

// ---------------------------------------------------------------------------------------------
// Limits (each one a reader check; chosen far above the paper's largest net)
// ---------------------------------------------------------------------------------------------

export const HUSH_MAX_TENSORS = 4096;
export const HUSH_MAX_HPARAMS = 256;
export const HUSH_MAX_META = 256;
export const HUSH_MAX_VALUES = 65536;
export const HUSH_MAX_NAME_BYTES = 1024;
export const HUSH_MAX_META_VALUE_BYTES = 65536;
/** 2^28 elements: a 1 GiB f32 tensor, beyond what a 32-bit WASM memory can hold decoded twice. */
export const HUSH_MAX_ELEMENTS = 268435456;
export const HUSH_MAX_K = 65536;
export const HUSH_MAX_BITS = 16;
export const HUSH_MAX_GAP_BITS = 16;
export const HUSH_MAX_MPO_CORES = 16;
/** Bond dimensions bounded so that the WASM decoder's two bond vectors fit a static 8 KiB scratch. */
export const HUSH_MAX_MPO_BOND = 1024;

// ---------------------------------------------------------------------------------------------
// Errors: codes, where they happen, message templates
// ---------------------------------------------------------------------------------------------

/** Error locations (error record `where`); `index` then numbers the section, hparam, meta entry or tensor. */
export const HUSH_WHERE_FILE = 0;
export const HUSH_WHERE_SECTION = 1;
export const HUSH_WHERE_HPARAM = 2;
export const HUSH_WHERE_META = 3;
export const HUSH_WHERE_TENSOR = 4;

export const HUSH_OK = 0;
export const HUSH_E_TRUNCATED_HEADER = 1;
export const HUSH_E_BAD_MAGIC = 2;
export const HUSH_E_VERSION = 3;
export const HUSH_E_HEADER_CRC = 4;
export const HUSH_E_HEADER_SIZE = 5;
export const HUSH_E_RESERVED = 6;
export const HUSH_E_TENSOR_COUNT = 7;
export const HUSH_E_SECTION_OFFSET = 8;
export const HUSH_E_SECTION_SIZE = 9;
export const HUSH_E_SECTION_PAST_END = 10;
export const HUSH_E_SECTION_CRC = 11;
export const HUSH_E_PADDING = 12;
export const HUSH_E_ARCH = 13;
export const HUSH_E_SAMPLE_RATE = 14;
export const HUSH_E_WINDOW_SAMPLES = 15;
export const HUSH_E_HOP_SAMPLES = 16;
export const HUSH_E_FFT_SIZE = 17;
export const HUSH_E_WINDOW_KIND = 18;
export const HUSH_E_HPARAM_COUNT = 19;
export const HUSH_E_META_COUNT = 20;
export const HUSH_E_VALUE_LIMIT = 21;
export const HUSH_E_VALUE_COUNT = 22;
export const HUSH_E_NAME_LENGTH = 23;
export const HUSH_E_NAME_PAST_STRINGS = 24;
export const HUSH_E_NAME_UTF8 = 25;
export const HUSH_E_NAME_DUPLICATE = 26;
export const HUSH_E_HPARAM_KIND = 27;
export const HUSH_E_HPARAM_NUMBER_COUNT = 28;
export const HUSH_E_HPARAM_VALUES_PAST = 29;
export const HUSH_E_HPARAM_VALUE = 30;
export const HUSH_E_META_VALUE_LENGTH = 31;
export const HUSH_E_META_VALUE_PAST_STRINGS = 32;
export const HUSH_E_META_VALUE_UTF8 = 33;
export const HUSH_E_ENCODING = 34;
export const HUSH_E_RANK = 35;
export const HUSH_E_DIM_ZERO = 36;
export const HUSH_E_TOO_MANY_ELEMENTS = 37;
export const HUSH_E_COUNT = 38;
export const HUSH_E_FLAGS = 39;
export const HUSH_E_MPO_CORE_MISSING = 40;
export const HUSH_E_MPO_NESTED = 41;
export const HUSH_E_MPO_CORE_RANK = 42;
export const HUSH_E_MPO_BOND = 43;
export const HUSH_E_MPO_BOND_LIMIT = 44;
export const HUSH_E_MPO_ROWS = 45;
export const HUSH_E_MPO_COLS = 46;
export const HUSH_E_MPO_ORPHAN_CORE = 47;
export const HUSH_E_MPO_CORE_COUNT = 48;
export const HUSH_E_MPO_CORES_PAST_TABLE = 49;
export const HUSH_E_MPO_RANK = 50;
export const HUSH_E_DATA_OFFSET = 51;
export const HUSH_E_K_RANGE = 52;
export const HUSH_E_BITS = 53;
export const HUSH_E_DTYPE = 54;
export const HUSH_E_STREAM_CODING = 55;
export const HUSH_E_SPARSITY_KIND = 56;
export const HUSH_E_NONZEROS = 57;
export const HUSH_E_STREAM_BYTES = 58;
export const HUSH_E_SPARSITY_NONE_COUNT = 59;
export const HUSH_E_SPARSITY_BYTES = 60;
export const HUSH_E_SPARSITY_PARAM = 61;
export const HUSH_E_GROUP_AXIS = 62;
export const HUSH_E_GROUP_NONZEROS = 63;
export const HUSH_E_PAYLOAD_SIZE = 64;
export const HUSH_E_DATA_PAST_END = 65;
export const HUSH_E_CODEBOOK_PAST_END = 66;
export const HUSH_E_INDEX_PAST_END = 67;
export const HUSH_E_VALUES_PAST_END = 68;
export const HUSH_E_SPARSITY_PAST_END = 69;
export const HUSH_E_PAYLOAD_CRC = 70;
export const HUSH_E_VALUE_NOT_FINITE = 71;
export const HUSH_E_CODEBOOK_NOT_FINITE = 72;
export const HUSH_E_INDEX_RANGE = 73;
export const HUSH_E_INDEX_PADDING = 74;
export const HUSH_E_BITMAP_PADDING = 75;
export const HUSH_E_BITMAP_COUNT = 76;
export const HUSH_E_GAP_STREAM_SHORT = 77;
export const HUSH_E_POSITION_RANGE = 78;
export const HUSH_E_GROUP_RANGE = 79;
export const HUSH_E_GAP_STREAM_LENGTH = 80;
export const HUSH_E_GAP_PADDING = 81;
export const HUSH_E_FILE_SIZE = 82;
export const HUSH_E_TRAILING_BYTES = 83;
/** A read outside the file was attempted and refused: a reader bug, never a file problem. The fuzz tests assert it never happens. */
export const HUSH_E_INTERNAL_BOUNDS = 84;
/** Decode-time (not open-time) errors of the WASM reader's decode call. */
export const HUSH_E_DECODE_CAPACITY = 85;
export const HUSH_E_DECODE_INDEX = 86;
/** Model section (1.1): task id unknown; output count outside the task's range; arch of the other task. */
export const HUSH_E_TASK = 87;
export const HUSH_E_OUTPUT_COUNT = 88;
export const HUSH_E_ARCH_TASK = 89;
/** Sparsity `blocks` (minor 2): parameters and contents. */
export const HUSH_E_BLOCK_SHAPE = 90;
export const HUSH_E_BLOCK_RANK = 91;
export const HUSH_E_BLOCK_TILING = 92;
export const HUSH_E_BLOCK_NONZEROS = 93;
export const HUSH_E_BLOCK_RANGE = 94;

const NEWER = `; a newer hushpack may read it`;

/**
 * Message templates by error code. `{a}`/`{b}` are the error record's two numbers, `{a:x}` in hex.
 * The message is prefixed by the file name and the place (`tensor enc1.conv.weight: `).
 */
export const HUSH_ERROR_TEMPLATES: Readonly<Record<number, string>> = {
  [HUSH_E_TRUNCATED_HEADER]: `file is {a} bytes, shorter than the {b}-byte header (not a .hush file?)`,
  [HUSH_E_BAD_MAGIC]: `bad magic 0x{a:x}, expected 0x{b:x} ("HUSH"): not a .hush file`,
  [HUSH_E_VERSION]: `format version {a}.{b} is not supported (this reader reads major version ${HUSH_VERSION_MAJOR})`,
  [HUSH_E_HEADER_CRC]: `header checksum mismatch (stored 0x{a:x}, computed 0x{b:x}): the file is corrupt`,
  [HUSH_E_HEADER_SIZE]: `header size {a} bytes, expected {b}`,
  [HUSH_E_RESERVED]: `reserved field at byte {a} holds {b}, must be 0`,
  [HUSH_E_TENSOR_COUNT]: `{a} tensors, more than the limit of {b}`,
  [HUSH_E_SECTION_OFFSET]: `starts at byte {a}, expected {b}`,
  [HUSH_E_SECTION_SIZE]: `is {a} bytes, expected {b}`,
  [HUSH_E_SECTION_PAST_END]: `ends {a} bytes past the end of the file (truncated?)`,
  [HUSH_E_SECTION_CRC]: `checksum mismatch (stored 0x{a:x}, computed 0x{b:x}): the file is corrupt`,
  [HUSH_E_PADDING]: `padding byte at {a} holds {b}, must be 0`,
  [HUSH_E_ARCH]: `unknown architecture id {a}${NEWER}`,
  [HUSH_E_SAMPLE_RATE]: `sample rate {a} Hz is outside ${HUSH_SAMPLE_RATE_MIN_HZ}..${HUSH_SAMPLE_RATE_MAX_HZ}`,
  [HUSH_E_WINDOW_SAMPLES]: `window of {a} samples is outside 1..${HUSH_MAX_WINDOW_SAMPLES}`,
  [HUSH_E_HOP_SAMPLES]: `hop of {a} samples is outside 1..{b} (the window)`,
  [HUSH_E_FFT_SIZE]: `DFT size {a} is outside {b} (the window)..${HUSH_MAX_WINDOW_SAMPLES}`,
  [HUSH_E_WINDOW_KIND]: `unknown window kind {a}${NEWER}`,
  [HUSH_E_HPARAM_COUNT]: `{a} hyper-parameters, more than the limit of {b}`,
  [HUSH_E_META_COUNT]: `{a} metadata entries, more than the limit of {b}`,
  [HUSH_E_VALUE_LIMIT]: `{a} hyper-parameter values, more than the limit of {b}`,
  [HUSH_E_VALUE_COUNT]: `the hyper-parameters use {a} values but {b} are declared`,
  [HUSH_E_NAME_LENGTH]: `name is {a} bytes, allowed 1..{b}`,
  [HUSH_E_NAME_PAST_STRINGS]: `name ends at byte {a} of the {b}-byte strings section`,
  [HUSH_E_NAME_UTF8]: `name is not valid UTF-8 (byte {a})`,
  [HUSH_E_NAME_DUPLICATE]: `name repeats that of entry #{a}`,
  [HUSH_E_HPARAM_KIND]: `unknown value kind {a}${NEWER}`,
  [HUSH_E_HPARAM_NUMBER_COUNT]: `a number must have exactly 1 value, not {a}`,
  [HUSH_E_HPARAM_VALUES_PAST]: `values end at #{a}, past the {b} declared`,
  [HUSH_E_HPARAM_VALUE]: `value #{a} is not finite`,
  [HUSH_E_META_VALUE_LENGTH]: `value is {a} bytes, more than the limit of {b}`,
  [HUSH_E_META_VALUE_PAST_STRINGS]: `value ends at byte {a} of the {b}-byte strings section`,
  [HUSH_E_META_VALUE_UTF8]: `value is not valid UTF-8 (byte {a})`,
  [HUSH_E_ENCODING]: `unknown encoding {a} (file format minor version {b})${NEWER}`,
  [HUSH_E_RANK]: `rank {a} exceeds {b}`,
  [HUSH_E_DIM_ZERO]: `dimension {a} is 0`,
  [HUSH_E_TOO_MANY_ELEMENTS]: `shape has more than {b} elements`,
  [HUSH_E_COUNT]: `element count {a} does not match the shape's {b}`,
  [HUSH_E_FLAGS]: `unknown flags 0x{a:x}`,
  [HUSH_E_MPO_CORE_MISSING]: `MPO core {a} is missing: entry #{b} is not flagged as a core`,
  [HUSH_E_MPO_NESTED]: `an MPO core cannot itself be MPO-encoded`,
  [HUSH_E_MPO_CORE_RANK]: `MPO core has rank {a}, expected 4`,
  [HUSH_E_MPO_BOND]: `MPO bond dimension {a} does not match the chain's {b}`,
  [HUSH_E_MPO_BOND_LIMIT]: `MPO bond dimension {a} exceeds {b}`,
  [HUSH_E_MPO_ROWS]: `MPO cores' row factors multiply to {a}, expected {b}`,
  [HUSH_E_MPO_COLS]: `MPO cores' column factors multiply to {a}, expected {b}`,
  [HUSH_E_MPO_ORPHAN_CORE]: `flagged as an MPO core but follows no MPO tensor`,
  [HUSH_E_MPO_CORE_COUNT]: `{a} MPO cores, allowed 1..{b}`,
  [HUSH_E_MPO_CORES_PAST_TABLE]: `its MPO cores would end at entry #{a}, the table has {b}`,
  [HUSH_E_MPO_RANK]: `an MPO tensor needs rank ≥ 1, not {a}`,
  [HUSH_E_DATA_OFFSET]: `payload at data offset {a}, expected {b}`,
  [HUSH_E_K_RANGE]: `k-means K = {a} is outside 1..{b}`,
  [HUSH_E_BITS]: `bit width {a}, expected ceil(log2 K) = {b}`,
  [HUSH_E_DTYPE]: `unknown value dtype {a}`,
  [HUSH_E_STREAM_CODING]: `unknown index stream coding {a} (file format minor version {b})${NEWER}`,
  [HUSH_E_SPARSITY_KIND]: `unknown sparsity kind {a} (file format minor version {b})${NEWER}`,
  [HUSH_E_NONZEROS]: `{a} stored weights, more than its {b} elements`,
  [HUSH_E_STREAM_BYTES]: `index/value stream is {a} bytes, expected {b}`,
  [HUSH_E_SPARSITY_NONE_COUNT]: `sparsity "none" but {a} of {b} weights stored`,
  [HUSH_E_SPARSITY_BYTES]: `sparsity block is {a} bytes, expected {b}`,
  [HUSH_E_SPARSITY_PARAM]: `invalid sparsity parameter 0x{a:x}`,
  [HUSH_E_GROUP_AXIS]: `group axis {a} is invalid for rank {b}`,
  [HUSH_E_GROUP_NONZEROS]: `{a} stored weights are not a whole number of groups of {b}`,
  [HUSH_E_PAYLOAD_SIZE]: `payload is {a} bytes, its blocks need {b}`,
  [HUSH_E_DATA_PAST_END]: `data ends {a} bytes past the file`,
  [HUSH_E_CODEBOOK_PAST_END]: `codebook ends {a} bytes past the file`,
  [HUSH_E_INDEX_PAST_END]: `index stream ends {a} bytes past the file`,
  [HUSH_E_VALUES_PAST_END]: `values end {a} bytes past the file`,
  [HUSH_E_SPARSITY_PAST_END]: `sparsity block ends {a} bytes past the file`,
  [HUSH_E_PAYLOAD_CRC]: `checksum mismatch (stored 0x{a:x}, computed 0x{b:x}): the file is corrupt`,
  [HUSH_E_VALUE_NOT_FINITE]: `value #{a} is not finite`,
  [HUSH_E_CODEBOOK_NOT_FINITE]: `codebook entry {a} is not finite`,
  [HUSH_E_INDEX_RANGE]: `index #{a} is {b}, not below K`,
  [HUSH_E_INDEX_PADDING]: `index stream padding bits are not zero`,
  [HUSH_E_BITMAP_PADDING]: `bitmap padding bits are not zero`,
  [HUSH_E_BITMAP_COUNT]: `bitmap marks {a} weights, expected {b}`,
  [HUSH_E_GAP_STREAM_SHORT]: `position list ends before entry #{a}`,
  [HUSH_E_POSITION_RANGE]: `position #{a} is {b}, past the tensor`,
  [HUSH_E_GROUP_RANGE]: `kept group #{a} is {b}, past the last group`,
  [HUSH_E_GAP_STREAM_LENGTH]: `position list is {a} bytes, its entries use {b}`,
  [HUSH_E_GAP_PADDING]: `position list padding bits are not zero`,
  [HUSH_E_FILE_SIZE]: `header says the file is {a} bytes but it is {b} bytes (truncated or appended to?)`,
  [HUSH_E_TRAILING_BYTES]: `{a} bytes after the data section belong to nothing`,
  [HUSH_E_INTERNAL_BOUNDS]: `reader bug: refused to read outside the file at byte {a}`,
  [HUSH_E_DECODE_CAPACITY]: `output buffer holds {a} elements, the tensor has {b}`,
  [HUSH_E_DECODE_INDEX]: `no tensor #{a} (the file has {b})`,
  [HUSH_E_TASK]: `unknown task {a} (file format minor version {b})${NEWER}`,
  [HUSH_E_OUTPUT_COUNT]: `{a} outputs for task {b}: an enhancement model stores 0 (one output), a separation model ${HUSH_MIN_SEPARATE_OUTPUTS}..${HUSH_MAX_OUTPUTS}`,
  [HUSH_E_ARCH_TASK]: `architecture {a} does not do task {b} (architectures 1..${HUSH_ARCH_ENHANCE_MAX} enhance, ${HUSH_ARCH_ENHANCE_MAX + 1}..${HUSH_ARCH_MAX} separate)`,
  [HUSH_E_BLOCK_SHAPE]: `block shape {a}x{b} is not one of 4x1, 8x1, 1x4`,
  [HUSH_E_BLOCK_RANK]: `blocks need a matrix: rank {a}`,
  [HUSH_E_BLOCK_TILING]: `the matrix view {a} × {b} does not tile into its blocks`,
  [HUSH_E_BLOCK_NONZEROS]: `{a} stored weights are not a whole number of blocks of {b}`,
  [HUSH_E_BLOCK_RANGE]: `kept block #{a} is {b}, past the last block`,
};
