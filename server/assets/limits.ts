/**
 * Every limit the asset endpoints enforce, named once with the reason beside it. `startLake`
 * takes overrides (`assetLimits`) so tests can prove each limit at and just past it without
 * building gigabyte images.
 */
export interface AssetLimits {
  /**
   * Bytes in one upload, counted while the body streams to disk (413 past it). Large enough for
   * print-quality photographs and programme-guide PDFs; small enough that one request cannot fill
   * the disk.
   */
  maxUploadBytes: number
  /**
   * width × height of an uploaded image, read from its header before any pixel is decoded (an
   * "image bomb" is a small file claiming huge dimensions). 100 megapixels is a 12,000 × 8,000
   * camera sensor; decoding it takes ~400 MB, which is what one request may cost.
   */
  maxInputPixels: number
  /**
   * Width or height of a transformed image after `dpr` (400 past it): Sanity's image pipeline
   * caps output at 8192 px; more would let one URL cost seconds of CPU and hundreds of MB.
   */
  maxOutputDimension: number
  /** `dpr` (device pixel ratio) range: Sanity accepts 1 to 3; more is just a bigger image. */
  minDpr: number
  maxDpr: number
}

export const DEFAULT_ASSET_LIMITS: AssetLimits = {
  maxUploadBytes: 100 * 1024 * 1024,
  maxInputPixels: 100_000_000,
  maxOutputDimension: 8192,
  minDpr: 1,
  maxDpr: 3,
}

/** LQIP (low-quality image placeholder) width, as Content Lake makes them: 20 px, base64 JPEG. */
export const LQIP_WIDTH = 20
