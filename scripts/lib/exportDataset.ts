/**
 * Reads a whole dataset through a client, as `sanity dataset export` does: the export endpoint
 * (`GET /v…/data/export/<dataset>`, NDJSON) when the server has it, else paged raw queries.
 */
import {createInterface} from 'node:readline'
import {Readable} from 'node:stream'
import type {ReadableStream as NodeReadableStream} from 'node:stream/web'

import type {SanityClient} from '@sanity/client'

import type {DatasetDocument} from './ndjson'

const DEFAULT_PAGE_SIZE = 1000

async function* fromExportEndpoint(
  client: SanityClient,
  response: Response,
): AsyncGenerator<DatasetDocument> {
  if (!response.body) throw new Error(`Empty export response from ${client.config().apiHost}`)
  // fetch's body is typed with the DOM's ReadableStream; at runtime it is Node's web stream.
  const body = response.body as unknown as NodeReadableStream<Uint8Array>
  const lines = createInterface({input: Readable.fromWeb(body), crlfDelay: Infinity})
  for await (const line of lines) {
    if (line.trim() === '') continue
    yield JSON.parse(line) as DatasetDocument
  }
}

/** Pages by `_id` so a dataset of any size is read in bounded requests, drafts included. */
async function* fromQueries(
  client: SanityClient,
  pageSize: number,
): AsyncGenerator<DatasetDocument> {
  let last = ''
  for (;;) {
    const page = await client.fetch<DatasetDocument[]>(
      `*[_id > $last] | order(_id asc) [0...${pageSize}]`,
      {last},
      {perspective: 'raw'},
    )
    yield* page
    const tail = page[page.length - 1]
    if (page.length < pageSize || !tail) return
    last = tail._id
  }
}

async function openExport(client: SanityClient): Promise<Response | undefined> {
  const {token} = client.config()
  const url = client.getUrl(client.getDataUrl('export'))
  try {
    const response = await fetch(url, {
      headers: token ? {Authorization: `Bearer ${token}`} : {},
    })
    if (response.ok) return response
    await response.body?.cancel()
    return undefined
  } catch {
    return undefined
  }
}

export type ExportSource = 'export-endpoint' | 'queries'

export interface ExportOptions {
  /** Told which way the documents are read (the export endpoint or paged queries). */
  onSource?: (source: ExportSource) => void
  /** Documents per query when paging (the fallback). */
  pageSize?: number
}

export async function* exportDocuments(
  client: SanityClient,
  {onSource, pageSize = DEFAULT_PAGE_SIZE}: ExportOptions = {},
): AsyncGenerator<DatasetDocument> {
  const response = await openExport(client)
  onSource?.(response ? 'export-endpoint' : 'queries')
  if (response) yield* fromExportEndpoint(client, response)
  else yield* fromQueries(client, pageSize)
}
