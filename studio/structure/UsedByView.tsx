/**
 * "Used by": every document that refers to a shared document (a programme, role, qualification,
 * organisation or register), so an editor sees who is affected before changing or replacing it.
 */
import {Box, Card, Stack, Text} from '@sanity/ui'
import {useEffect, useState} from 'react'
import {getPublishedId, useClient, useSchema} from 'sanity'
import {IntentLink} from 'sanity/router'
import type {StructureBuilder, UserViewComponent} from 'sanity/structure'

import {apiVersion} from '../../lib/env'

/** GROQ for the documents that reference `$id` (drafts folded into their published ids). */
export const usedByQuery = `*[references($id) && !(_id in path("feedback.**"))] | order(_type asc){
  _id,
  _type,
  "title": coalesce(title, name, register)
}`

/** The shared document types that get the view. */
export const sharedTypes: ReadonlySet<string> = new Set([
  'programme',
  'careerRole',
  'qualification',
  'organisation',
  'registration',
  'framework',
])

interface Row {
  _id: string
  _type: string
  title?: string
}

/** One row per document: a draft and its published copy are the same document to an editor. */
export function distinctDocuments(rows: readonly Row[]): Row[] {
  const seen = new Map<string, Row>()
  for (const row of rows) {
    const id = getPublishedId(row._id)
    if (!seen.has(id)) seen.set(id, {...row, _id: id})
  }
  return [...seen.values()]
}

const UsedBy: UserViewComponent = ({documentId}) => {
  const client = useClient({apiVersion})
  const schema = useSchema()
  const [rows, setRows] = useState<Row[] | null>(null)
  useEffect(() => {
    let live = true
    client
      .fetch<Row[]>(usedByQuery, {id: getPublishedId(documentId)})
      .then((result) => live && setRows(distinctDocuments(result)))
      .catch(() => live && setRows([]))
    return () => {
      live = false
    }
  }, [client, documentId])
  if (rows === null) return <Box padding={4}>Loading…</Box>
  return (
    <Box padding={4}>
      <Stack gap={3}>
        <Text size={1} muted>
          {rows.length === 0
            ? 'Nothing refers to this document yet.'
            : `${rows.length} document${rows.length === 1 ? '' : 's'} refer to this one; a change here shows on all of them.`}
        </Text>
        {rows.map((row) => (
          <Card key={row._id} padding={3} radius={2} border>
            <IntentLink
              intent="edit"
              params={{id: row._id, type: row._type}}
              style={{color: 'inherit', textDecoration: 'none'}}
            >
              <Text size={1}>
                {row.title ?? row._id} · {schema.get(row._type)?.title ?? row._type}
              </Text>
            </IntentLink>
          </Card>
        ))}
      </Stack>
    </Box>
  )
}

export function usedByView(S: StructureBuilder) {
  return S.view.component(UsedBy).title('Used by').id('used-by')
}
