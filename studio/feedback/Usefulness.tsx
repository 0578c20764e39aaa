/**
 * "Is this page useful?" in the Studio: the share of "yes" and the counts over 7, 30 and 90 days,
 * and the pages most often found not useful. The numbers come from the pure aggregations in
 * `feedback/useful.ts`; this only fetches counters and draws them.
 */
import {Card, Flex, Heading, Stack, Text} from '@sanity/ui'
import {useEffect, useState} from 'react'
import {useClient} from 'sanity'
import {IntentLink} from 'sanity/router'

import {apiVersion} from '../../lib/env'
import {
  pagesMostNotUseful,
  type UsefulCount,
  usefulDay,
  usefulSummaries,
  type UsefulSummary,
  windowStart,
} from '../../feedback/useful'
import {pageUsefulCountsQuery, usefulCountsQuery} from './queries'

const LONGEST = 90

/** "83% useful (50 yes, 10 no)", or that nobody has answered. */
export function usefulText(summary: UsefulSummary): string {
  if (summary.percentUseful === null) return 'No answers yet'
  return `${summary.percentUseful}% useful (${summary.yes} yes, ${summary.no} no)`
}

/** Counters for the last 90 days: every page's, or one page's. */
function useUsefulCounts(pageId?: string): {counts?: UsefulCount[]; today: string; error?: string} {
  const client = useClient({apiVersion})
  const [today] = useState(() => usefulDay(Date.now()))
  const [counts, setCounts] = useState<UsefulCount[]>()
  const [error, setError] = useState<string>()
  useEffect(() => {
    let live = true
    const since = windowStart(today, LONGEST)
    const request = pageId
      ? client.fetch<UsefulCount[]>(pageUsefulCountsQuery, {pageId, since})
      : client.fetch<UsefulCount[]>(usefulCountsQuery, {since})
    request.then((c) => live && setCounts(c)).catch((e: Error) => live && setError(e.message))
    return () => {
      live = false
    }
  }, [client, pageId, today])
  return {counts, today, ...(error ? {error} : {})}
}

function Summaries({counts, today}: {counts: UsefulCount[]; today: string}) {
  return (
    <Flex gap={3} wrap="wrap">
      {usefulSummaries(counts, today).map(({days, summary}) => (
        <Card key={days} padding={3} radius={2} border>
          <Stack gap={2}>
            <Text size={1} muted>
              Last {days} days
            </Text>
            <Text size={2} weight="semibold">
              {usefulText(summary)}
            </Text>
          </Stack>
        </Card>
      ))}
    </Flex>
  )
}

/** On a page's Feedback panel: how useful readers found this page. */
export function PageUsefulness({pageId}: {pageId: string}) {
  const {counts, today, error} = useUsefulCounts(pageId)
  return (
    <Stack gap={3}>
      <Heading size={1} as="h2">
        Is this page useful?
      </Heading>
      {error ? <Text size={1}>Answers could not be loaded: {error}</Text> : null}
      {counts ? <Summaries counts={counts} today={today} /> : null}
    </Stack>
  )
}

/** On the Feedback overview: every page together, and the pages with the most "No" answers. */
export function SiteUsefulness({days}: {days: number}) {
  const {counts, today, error} = useUsefulCounts()
  const worst = counts ? pagesMostNotUseful(counts, today, days) : []
  return (
    <Card padding={4} radius={2} border>
      <Stack gap={4}>
        <Heading size={1} as="h2">
          Is this page useful?
        </Heading>
        {error ? <Text size={1}>Answers could not be loaded: {error}</Text> : null}
        {counts ? <Summaries counts={counts} today={today} /> : null}
        <Heading size={0} as="h3">
          Most “No” answers in the last {days} days
        </Heading>
        {counts && worst.length === 0 ? (
          <Text size={1} muted>
            No page was found not useful in this period.
          </Text>
        ) : null}
        {worst.map((page) => (
          <Flex key={page.pageId} gap={3} align="center">
            <Text size={1} weight="semibold" style={{width: '3rem'}}>
              {page.no} no
            </Text>
            <Text size={1}>
              <IntentLink intent="edit" params={{id: page.pageId, type: 'page'}}>
                {page.title}
              </IntentLink>{' '}
              · {usefulText(page)}
            </Text>
          </Flex>
        ))}
      </Stack>
    </Card>
  )
}
