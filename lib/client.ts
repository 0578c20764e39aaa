/**
 * The one way Node code (scripts, the frontend server, the intake, tests) gets a Sanity client.
 *
 * Local mode points `@sanity/client` at the local lake and trusts the lake's self-signed
 * certificate; hosted mode is a plain client for the configured project. Nothing else differs.
 */
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import tls from 'node:tls'

import {type ClientPerspective, createClient, type SanityClient} from '@sanity/client'

import {LAKE_CERT_FILE, LAKE_DEV_TOKEN_FILE} from '../server/files'
import {apiVersion, dataset, isLocalLake, lakeDataDir, localLakeUrl, projectId} from './env'

// The lake owns its data directory's layout; clients of a local lake read these two files.
export {LAKE_CERT_FILE, LAKE_DEV_TOKEN_FILE}

const trusted = new Set<string>()

/** Adds a PEM certificate to the CAs this process trusts (the lake's cert is self-signed). */
export function trustCertificate(pem: string): void {
  if (trusted.has(pem)) return
  trusted.add(pem)
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), ...trusted])
}

/** Trusts the local lake's certificate when it exists in `dataDir`. */
export function trustLocalLake(dataDir: string = lakeDataDir()): void {
  const certPath = join(dataDir, LAKE_CERT_FILE)
  if (existsSync(certPath)) trustCertificate(readFileSync(certPath, 'utf8'))
}

/**
 * The token Node code uses for writes: `LAKE_TOKEN`, `LAKE_ADMIN_TOKEN`, the local developer's
 * token the lake wrote in its data directory, or `SANITY_API_WRITE_TOKEN` in hosted mode.
 */
export function writeToken(dataDir: string = lakeDataDir()): string | undefined {
  if (!isLocalLake) return process.env.SANITY_API_WRITE_TOKEN
  if (process.env.LAKE_TOKEN) return process.env.LAKE_TOKEN
  if (process.env.LAKE_ADMIN_TOKEN) return process.env.LAKE_ADMIN_TOKEN
  const file = join(dataDir, LAKE_DEV_TOKEN_FILE)
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined
}

/**
 * Where the careers lake keeps the token its frontend's feedback intake writes with (a reviewer,
 * the least role that may create a report; see `app/lake.ts`), in the lake's data directory.
 */
export const FEEDBACK_INTAKE_TOKEN_FILE = 'intake-token'

/**
 * The token a feedback intake outside the lake writes with: `LAKE_INTAKE_TOKEN`, else the
 * reviewer token the careers lake wrote to its data directory; `SANITY_API_WRITE_TOKEN` in hosted
 * mode (give it a robot token that may only create feedback). Never the administrator's: a
 * public form must not hold a key to everything.
 */
export function intakeToken(dataDir: string = lakeDataDir()): string | undefined {
  if (!isLocalLake) return process.env.SANITY_API_WRITE_TOKEN
  if (process.env.LAKE_INTAKE_TOKEN) return process.env.LAKE_INTAKE_TOKEN
  const file = join(dataDir, FEEDBACK_INTAKE_TOKEN_FILE)
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined
}

/**
 * Where the careers lake keeps the token its frontend reads drafts with in draft mode (a viewer:
 * reads everything, writes nothing), in the lake's data directory.
 */
export const PREVIEW_TOKEN_FILE = 'preview-token'

/**
 * The viewer token the frontend's server reads drafts with in draft mode: `SANITY_API_READ_TOKEN`
 * (with hosted Sanity, a viewer robot token), else locally the one the careers lake wrote to its
 * data directory. It stays on the server: nothing the frontend sends to a browser contains it.
 */
export function previewToken(dataDir: string = lakeDataDir()): string | undefined {
  if (process.env.SANITY_API_READ_TOKEN) return process.env.SANITY_API_READ_TOKEN
  if (!isLocalLake) return undefined
  const file = join(dataDir, PREVIEW_TOKEN_FILE)
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined
}

export interface ContentClientOptions {
  token?: string | undefined
  perspective?: ClientPerspective
  /** Overrides the lake address (tests start lakes on their own ports). */
  lakeUrl?: string
  /** The lake's data directory, whose certificate is trusted (defaults to `LAKE_DATA_DIR`). */
  lakeDataDir?: string
}

/** A client for the configured content lake: local by default, Sanity's when configured. */
export function createContentClient(options: ContentClientOptions = {}): SanityClient {
  const perspective = options.perspective ?? 'published'
  if (isLocalLake) trustLocalLake(options.lakeDataDir)
  return createClient({
    projectId,
    dataset,
    apiVersion,
    perspective,
    token: options.token,
    ...(isLocalLake
      ? {apiHost: options.lakeUrl ?? localLakeUrl(), useProjectHostname: false, useCdn: false}
      : {
          apiHost: process.env.SANITY_STUDIO_API_HOST,
          // The CDN serves published content only and never with a token.
          useCdn: perspective === 'published' && !options.token,
        }),
  })
}
