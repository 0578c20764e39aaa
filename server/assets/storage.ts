/**
 * Asset bytes on disk, content-addressed: `<dataDir>/assets/<sha1[0..2]>/<sha1>`. The same bytes
 * uploaded twice (or once as an image and once as a file) are stored once. Uploads stream into
 * `assets/tmp/` while being hashed and counted, are fsynced, and only then renamed into place, so
 * a crash or a refused upload never leaves a partial file under a hash. Files are 0600 and
 * directories 0700: unpublished assets are as private as unpublished documents.
 *
 * Transformed images are cached in `assets/cache/`; the cache can be deleted at any time.
 */
import {createHash, randomBytes} from 'node:crypto'
import {createWriteStream, existsSync, mkdirSync, rmSync} from 'node:fs'
import {open, rename, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {LakeError} from '../store/types'

export const FILE_MODE = 0o600
export const DIR_MODE = 0o700

export interface StoredUpload {
  /** The temporary file holding the bytes until `commit` or `discard`. */
  tempPath: string
  sha1: string
  size: number
}

export class AssetStorage {
  readonly root: string
  readonly #tmp: string
  readonly cacheDir: string

  constructor(dataDir: string) {
    this.root = join(dataDir, 'assets')
    this.#tmp = join(this.root, 'tmp')
    this.cacheDir = join(this.root, 'cache')
    // Whatever is in tmp/ was an upload or transform cut short by a crash: never committed.
    rmSync(this.#tmp, {recursive: true, force: true})
    for (const dir of [this.root, this.#tmp, this.cacheDir]) {
      mkdirSync(dir, {recursive: true, mode: DIR_MODE})
    }
  }

  /** Where the bytes with this sha1 live (whether or not they exist). */
  pathOf(sha1: string): string {
    return join(this.root, sha1.slice(0, 2), sha1)
  }

  has(sha1: string): boolean {
    return existsSync(this.pathOf(sha1))
  }

  /**
   * Streams `body` into a temporary file, hashing and counting as it goes; past `maxBytes` it
   * stops reading, deletes what it wrote and throws a 413, so an oversized upload is never held
   * whole in memory nor on disk.
   */
  async receive(
    body: AsyncIterable<unknown>,
    maxBytes: number,
    declaredLength: number | undefined,
  ): Promise<StoredUpload> {
    const tooLarge = () =>
      new LakeError(
        413,
        'requestEntityTooLargeError',
        `Upload is larger than the limit of ${maxBytes} bytes`,
      )
    if (declaredLength !== undefined && declaredLength > maxBytes) throw tooLarge()
    const tempPath = join(this.#tmp, randomBytes(12).toString('hex'))
    const out = createWriteStream(tempPath, {mode: FILE_MODE, flags: 'wx'})
    // A disk error (or a write racing the abort below) must reach this request, never the
    // process as an unhandled 'error' event.
    let diskError: Error | undefined
    out.on('error', (error) => (diskError ??= error))
    const hash = createHash('sha1')
    let size = 0
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        size += chunk.length
        if (size > maxBytes) throw tooLarge()
        if (diskError) throw diskError
        hash.update(chunk)
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve))
      }
      await new Promise<void>((resolve, reject) => {
        if (diskError) reject(diskError)
        out.end(() => (diskError ? reject(diskError) : resolve()))
      })
    } catch (error) {
      // Wait for the file to be closed (its open may still be in flight) before deleting it, or
      // a late open would leave it behind.
      if (!out.closed) {
        const closed = new Promise<void>((resolve) => out.once('close', () => resolve()))
        out.destroy()
        await closed
      }
      await rm(tempPath, {force: true})
      throw error
    }
    if (size === 0) {
      await rm(tempPath, {force: true})
      throw new LakeError(400, 'validationError', 'Upload is empty: send the file as the body')
    }
    return {tempPath, sha1: hash.digest('hex'), size}
  }

  /** Makes the upload durable under its hash; returns true when this call created the file. */
  async commit(upload: StoredUpload): Promise<boolean> {
    const target = this.pathOf(upload.sha1)
    if (existsSync(target)) {
      await this.discard(upload)
      return false
    }
    const handle = await open(upload.tempPath, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
    const dir = join(this.root, upload.sha1.slice(0, 2))
    mkdirSync(dir, {recursive: true, mode: DIR_MODE})
    await rename(upload.tempPath, target)
    await syncDirectory(dir)
    return true
  }

  async discard(upload: StoredUpload): Promise<void> {
    await rm(upload.tempPath, {force: true})
  }

  async remove(sha1: string): Promise<void> {
    await rm(this.pathOf(sha1), {force: true})
  }

  /** A path for a cached transform, and a temporary sibling to write it through. */
  cachePaths(key: string, extension: string): {path: string; temp: string} {
    const dir = join(this.cacheDir, key.slice(0, 2))
    mkdirSync(dir, {recursive: true, mode: DIR_MODE})
    return {
      path: join(dir, `${key}.${extension}`),
      temp: join(this.#tmp, `${key}.${randomBytes(6).toString('hex')}`),
    }
  }
}

/** A rename is durable only once its directory entry is: fsync the directory too. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
