// A scrolling spectrogram on a canvas, fed by an AnalyserNode: every animation frame the image
// moves left by one column and the newest magnitude spectrum (dB, getFloatFrequencyData) is drawn
// at the right edge, 0 Hz at the bottom up to `maxHz` (8 kHz: the model's band) at the top, in the
// magma colour map over [minDb, maxDb].

/** matplotlib's magma at 0, 1/8, …, 1 (sRGB). */
const MAGMA = [
  [0, 0, 4], [28, 16, 68], [79, 18, 123], [129, 37, 129], [181, 54, 122],
  [229, 80, 100], [251, 135, 97], [254, 194, 135], [252, 253, 191],
];

/** 256-entry RGB lookup table of magma. */
function magmaLut() {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const u = (i / 255) * (MAGMA.length - 1);
    const k = Math.min(MAGMA.length - 2, Math.floor(u));
    const f = u - k;
    for (let c = 0; c < 3; c++) lut[3 * i + c] = MAGMA[k][c] + f * (MAGMA[k + 1][c] - MAGMA[k][c]);
  }
  return lut;
}
const LUT = magmaLut();

export class ScrollingSpectrogram {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{ minDb?: number, maxDb?: number, maxHz?: number }} [opts]
   */
  constructor(canvas, opts = {}) {
    this.canvas = canvas;
    this.g = canvas.getContext('2d', { willReadFrequently: false });
    this.minDb = opts.minDb ?? -110;
    this.maxDb = opts.maxDb ?? -25;
    this.maxHz = opts.maxHz ?? 8000;
    this.column = this.g.createImageData(1, canvas.height);
    this.analyser = null;
    this.spectrum = null;
    /** Columns drawn so far (for tests and the page's status). */
    this.columns = 0;
    this.clear();
  }

  /** Starts following `analyser` (null = stop). */
  attach(analyser) {
    this.analyser = analyser;
    this.spectrum = analyser ? new Float32Array(analyser.frequencyBinCount) : null;
  }

  clear() {
    this.g.fillStyle = 'rgb(0,0,4)';
    this.g.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Draws one new column from the analyser's current spectrum. */
  step() {
    const a = this.analyser;
    if (!a) return;
    a.getFloatFrequencyData(this.spectrum);
    const { width, height } = this.canvas;
    const binHz = a.context.sampleRate / a.fftSize;
    const lastBin = Math.min(this.spectrum.length - 1, Math.floor(this.maxHz / binHz));
    const px = this.column.data;
    for (let y = 0; y < height; y++) {
      // row y (0 = top) shows the bins of the band [f0, f1); take the loudest (no aliasing of peaks)
      const f0 = ((height - 1 - y) / height) * lastBin;
      const f1 = ((height - y) / height) * lastBin;
      let db = -Infinity;
      for (let b = Math.floor(f0); b <= Math.min(lastBin, Math.max(Math.floor(f0), Math.ceil(f1) - 1)); b++) db = Math.max(db, this.spectrum[b]);
      const t = Math.max(0, Math.min(1, (db - this.minDb) / (this.maxDb - this.minDb)));
      const i = Math.round(t * 255) * 3;
      px[4 * y] = LUT[i];
      px[4 * y + 1] = LUT[i + 1];
      px[4 * y + 2] = LUT[i + 2];
      px[4 * y + 3] = 255;
    }
    this.g.drawImage(this.canvas, -1, 0);
    this.g.putImageData(this.column, width - 1, 0);
    this.columns++;
  }
}
