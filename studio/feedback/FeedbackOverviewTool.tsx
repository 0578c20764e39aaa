/**
 * The feedback overview: counts by state, by page and by week over 7, 30 or 90 days, drawn as
 * bars. The numbers come from `aggregateFeedback`, a pure function of one query's results.
 */
import {CommentIcon} from '@sanity/icons/Comment'
import {Box, Button, Card, Container, Flex, Heading, Stack, Text} from '@sanity/ui'
import {useEffect, useMemo, useState} from 'react'
import {type Tool, useClient} from 'sanity'

import {apiVersion} from '../../lib/env'
import {feedbackWorkflow} from '../../feedback/workflow'
import {
  aggregateFeedback,
  type Bar,
  OVERVIEW_WINDOWS,
  type OverviewRow,
  type OverviewWindow,
} from './aggregate'
import {feedbackOverviewQuery} from './queries'
import {SiteUsefulness} from './Usefulness'

const DAY = 86_400_000

function toneColor(status: string | undefined): string {
  const tone = feedbackWorkflow.find((s) => s.id === status)?.tone ?? 'primary'
  return `var(--card-badge-${tone === 'primary' ? 'primary' : tone}-dot-color, #2276fc)`
}

/** Horizontal bars, one row each: label, bar scaled to the largest count, number. */
function BarChart({
  title,
  bars,
  colorOf,
}: {
  title: string
  bars: Bar[]
  colorOf?: (b: Bar) => string
}) {
  const max = Math.max(1, ...bars.map((b) => b.count))
  return (
    <Card padding={4} radius={2} border>
      <Stack gap={3}>
        <Heading size={1} as="h2">
          {title}
        </Heading>
        {bars.length === 0 ? (
          <Text size={1} muted>
            No reports in this period.
          </Text>
        ) : null}
        {bars.map((b) => (
          <Flex key={b.key} align="center" gap={3}>
            <Box style={{width: '14rem', flexShrink: 0}}>
              <Text size={1} textOverflow="ellipsis" title={b.key}>
                {b.label}
              </Text>
            </Box>
            <Box flex={1}>
              <svg width="100%" height="14" role="img" aria-label={`${b.label}: ${b.count}`}>
                <rect
                  x="0"
                  y="1"
                  height="12"
                  rx="2"
                  width={`${(b.count / max) * 100}%`}
                  fill={colorOf ? colorOf(b) : 'var(--card-focus-ring-color, #2276fc)'}
                />
              </svg>
            </Box>
            <Box style={{width: '3rem', textAlign: 'right'}}>
              <Text size={1} weight="semibold">
                {b.count}
              </Text>
            </Box>
          </Flex>
        ))}
      </Stack>
    </Card>
  )
}

function FeedbackOverview() {
  const client = useClient({apiVersion})
  const [days, setDays] = useState<OverviewWindow>(30)
  const [rows, setRows] = useState<OverviewRow[]>()
  const [error, setError] = useState<string>()
  // Fetch the longest window once; shorter windows are filtered from it.
  const [now] = useState(() => Date.now())

  useEffect(() => {
    let live = true
    client
      .fetch<OverviewRow[]>(feedbackOverviewQuery, {since: new Date(now - 90 * DAY).toISOString()})
      .then((r) => live && setRows(r))
      .catch((e: Error) => live && setError(e.message))
    return () => {
      live = false
    }
  }, [client, now])

  const overview = useMemo(
    () => (rows ? aggregateFeedback(rows, {now, days}) : undefined),
    [rows, now, days],
  )

  return (
    <Container width={3} padding={4}>
      <Stack gap={4}>
        <Flex align="center" gap={3} wrap="wrap">
          <Box flex={1}>
            <Heading as="h1" size={2}>
              Feedback overview
            </Heading>
          </Box>
          {OVERVIEW_WINDOWS.map((w) => (
            <Button
              key={w}
              text={`${w} days`}
              mode={w === days ? 'default' : 'ghost'}
              onClick={() => setDays(w)}
            />
          ))}
        </Flex>
        {error ? <Text>Feedback could not be loaded: {error}</Text> : null}
        {!overview && !error ? <Text muted>Loading…</Text> : null}
        {overview ? (
          <>
            <Text size={1}>
              {overview.total} reports in the last {days} days (spam excluded), {overview.open}{' '}
              still open.
            </Text>
            <BarChart title="By state" bars={overview.byState} colorOf={(b) => toneColor(b.key)} />
            <BarChart title="By page (top 10)" bars={overview.byPage} />
            <BarChart title="By week (starting Monday)" bars={overview.byWeek} />
          </>
        ) : null}
        <SiteUsefulness days={days} />
      </Stack>
    </Container>
  )
}

export const feedbackOverviewTool: Tool = {
  name: 'feedback-overview',
  title: 'Feedback',
  icon: CommentIcon,
  component: FeedbackOverview,
}
