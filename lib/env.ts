/**
 * One place that decides where content lives.
 *
 * With no configuration everything talks to the local content lake (`npm run lake`); with
 * `SANITY_STUDIO_PROJECT_ID` set, the same Studio, queries and intake talk to Sanity's hosted
 * Content Lake. Vite inlines `process.env.SANITY_STUDIO_*` into the Studio bundle, so this module
 * is safe to import from browser code as well as from Node.
 */

declare global {
  namespace NodeJS {
    interface ProcessEnv {
      SANITY_STUDIO_PROJECT_ID?: string
      SANITY_STUDIO_DATASET?: string
      SANITY_STUDIO_API_HOST?: string
      /** The frontend the Studio's Presentation tool opens (`studio/presentation/`). */
      SANITY_STUDIO_PREVIEW_URL?: string
      /**
       * A viewer token: what the frontend reads drafts with in draft mode (`web/draftMode.ts`),
       * and what read-only scripts use. Never sent to a browser.
       */
      SANITY_API_READ_TOKEN?: string
      /** Where the Studio is, for the frontend's overlays outside the Presentation tool. */
      SANITY_STUDIO_URL?: string
      SANITY_API_WRITE_TOKEN?: string
      LAKE_PORT?: string
      LAKE_HOST?: string
      LAKE_DATA_DIR?: string
      LAKE_ADMIN_TOKEN?: string
      LAKE_URL?: string
      LAKE_TOKEN?: string
      LAKE_INTAKE_TOKEN?: string
      WEB_PORT?: string
    }
  }
}

/** The project id the local lake answers to; any id works there, this one says what it is. */
export const LOCAL_PROJECT_ID = 'local'

export const projectId: string = process.env.SANITY_STUDIO_PROJECT_ID || LOCAL_PROJECT_ID
export const dataset: string = process.env.SANITY_STUDIO_DATASET || 'production'

/** True when no hosted project is configured and the local lake is the content store. */
export const isLocalLake: boolean = projectId === LOCAL_PROJECT_ID

/** The API version this project's own code pins; the lake accepts every version the Studio uses. */
export const apiVersion = '2025-02-19'

export const DEFAULT_LAKE_PORT = 4545

/** The lake's data directory (`LAKE_DATA_DIR`, default `.lake/` in the working directory). */
export function lakeDataDir(): string {
  return process.env.LAKE_DATA_DIR || '.lake'
}

/** Where Node code reaches the local lake (`LAKE_URL`, else `https://localhost:$LAKE_PORT`). */
export function localLakeUrl(): string {
  if (process.env.LAKE_URL) return process.env.LAKE_URL.replace(/\/+$/, '')
  const port = Number(process.env.LAKE_PORT) || DEFAULT_LAKE_PORT
  return `https://localhost:${port}`
}
