/**
 * A page's "Feedback" view: the reports about it, split into those about the page as it is now
 * ("since the last edit") and those about an earlier version, which the edit may have fixed.
 */
import {Badge, Box, Card, Flex, Heading, Stack, Text} from '@sanity/ui'
import {useEffect, useState} from 'react'
import {getPublishedId, useClient} from 'sanity'
import {IntentLink} from 'sanity/router'
import type {UserViewComponent} from 'sanity/structure'

import {apiVersion} from '../../lib/env'
import {feedbackCategories, workflowState} from '../../feedback/workflow'
import {splitByLastEdit} from './pageFeedback'
import {FEEDBACK_TYPE, pageFeedbackQuery} from './queries'
import {PageUsefulness} from './Usefulness'

interface Row {
  _id: string
  status?: string
  category?: string
  whatDoing?: string
  whatWentWrong?: string
  submittedAt?: string
  pageRevision?: string
}

function ReportCard({row}: {row: Row}) {
  const state = workflowState(row.status)
  const category = feedbackCategories.find((c) => c.id === row.category)?.title
  return (
    <Card padding={3} radius={2} border>
      <IntentLink
        intent="edit"
        params={{id: row._id, type: FEEDBACK_TYPE}}
        style={{color: 'inherit', textDecoration: 'none'}}
      >
        <Stack gap={2}>
          <Flex gap={2} align="center">
            {state ? <Badge tone={state.tone}>{state.title}</Badge> : null}
            <Text size={1} muted>
              {[row.submittedAt?.slice(0, 16).replace('T', ' '), category]
                .filter(Boolean)
                .join(' · ')}
            </Text>
          </Flex>
          <Text size={1}>{row.whatWentWrong || row.whatDoing || '(no text)'}</Text>
        </Stack>
      </IntentLink>
    </Card>
  )
}

function Section({title, hint, rows}: {title: string; hint: string; rows: Row[]}) {
  return (
    <Stack gap={3}>
      <Heading size={1} as="h2">
        {title} ({rows.length})
      </Heading>
      <Text size={1} muted>
        {hint}
      </Text>
      {rows.length === 0 ? (
        <Text size={1}>None.</Text>
      ) : (
        rows.map((r) => <ReportCard key={r._id} row={r} />)
      )}
    </Stack>
  )
}

export const PageFeedbackPanel: UserViewComponent = ({document, documentId}) => {
  const client = useClient({apiVersion})
  const [rows, setRows] = useState<Row[] | undefined>()
  const [error, setError] = useState<string>()
  const pageId = getPublishedId(documentId)
  const page = document.published ?? document.displayed

  useEffect(() => {
    let live = true
    client
      .fetch<Row[]>(pageFeedbackQuery, {pageId})
      .then((r) => live && setRows(r))
      .catch((e: Error) => live && setError(e.message))
    return () => {
      live = false
    }
  }, [client, pageId, page._rev])

  if (error)
    return (
      <Box padding={4}>
        <Text>Feedback could not be loaded: {error}</Text>
      </Box>
    )
  if (!rows)
    return (
      <Box padding={4}>
        <Text muted>Loading feedback…</Text>
      </Box>
    )
  const open = rows.filter((r) => workflowState(r.status)?.open)
  const {sinceLastEdit, before} = splitByLastEdit(
    {_rev: page._rev, _updatedAt: page._updatedAt},
    rows,
  )
  return (
    <Box padding={4}>
      <Stack gap={5}>
        <PageUsefulness pageId={pageId} />
        <Text size={1}>
          {open.length} open of {rows.length} reports about this page (spam not shown).
        </Text>
        <Section
          title="Since the last edit"
          hint="About the page as it is now."
          rows={sinceLastEdit}
        />
        <Section
          title="Before the last edit"
          hint="About an earlier version: check whether the edit fixed them."
          rows={before}
        />
      </Stack>
    </Box>
  )
}
