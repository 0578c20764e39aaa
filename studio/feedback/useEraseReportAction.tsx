/**
 * "Erase report" (administrators only): asks why, then replaces the report with its erasure
 * record (`erasureOf`: status, category, page and dates kept; everything the public wrote or sent
 * gone; who erased it, when and why added) and, in the same transaction, the reporter's address
 * with its own erasure record (`reportErasures`). The lake accepts exactly those records from an
 * administrator and refuses any plain delete of a report.
 */
import {TrashIcon} from '@sanity/icons/Trash'
import {Button, Card, Stack, Text, TextArea} from '@sanity/ui'
import {type ChangeEvent, useState} from 'react'
import {type DocumentActionComponent, useClient, useCurrentUser} from 'sanity'

import {apiVersion} from '../../lib/env'
import {contactIdFor, reportErasures} from '../../feedback/contact'
import {FEEDBACK_TYPE} from './queries'
import {canEraseReports} from './roles'

export const useEraseReportAction: DocumentActionComponent = (props) => {
  const client = useClient({apiVersion})
  const user = useCurrentUser()
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const doc = props.published ?? props.draft
  if (props.type !== FEEDBACK_TYPE || !doc || !user || !canEraseReports(user)) return null

  const erase = async () => {
    if (reason.trim() === '') {
      setError('Say why the report is erased: the erasure record keeps the reason.')
      return
    }
    setBusy(true)
    try {
      const contact = await client.getDocument(contactIdFor(doc._id))
      const records = reportErasures(doc, contact ?? null, {
        by: {id: user.id, name: user.name},
        at: new Date().toISOString(),
        reason,
      })
      await records
        .reduce(
          (transaction, record) => transaction.createOrReplace<typeof record>(record),
          client.transaction(),
        )
        .commit({visibility: 'sync'})
      setOpen(false)
      props.onComplete()
    } catch (e) {
      setError(`The report was not erased: ${(e as Error).message}`)
    } finally {
      setBusy(false)
    }
  }

  return {
    label: 'Erase report',
    icon: TrashIcon,
    tone: 'critical',
    title: 'Remove what the public sent, keeping a record of who erased it, when and why.',
    disabled: busy,
    onHandle: () => setOpen(true),
    dialog: open
      ? {
          type: 'dialog',
          header: 'Erase this report',
          onClose: () => setOpen(false),
          content: (
            <Stack gap={4}>
              <Text size={1} muted>
                What the reader wrote, the page address, their browser, their email address if they
                left one, and everything else they sent is removed for good. The report&apos;s
                status, category, page and dates stay, with who erased it, when and why.
              </Text>
              <Stack gap={2}>
                <Text size={1} weight="semibold">
                  Why is it erased? (required)
                </Text>
                <TextArea
                  rows={3}
                  value={reason}
                  onChange={(e: ChangeEvent<HTMLTextAreaElement>) =>
                    setReason(e.currentTarget.value)
                  }
                />
              </Stack>
              {error ? (
                <Card padding={3} tone="critical" radius={2}>
                  <Text size={1}>{error}</Text>
                </Card>
              ) : null}
              <Button
                text="Erase report"
                tone="critical"
                disabled={busy}
                onClick={() => void erase()}
              />
            </Stack>
          ),
        }
      : null,
  }
}
useEraseReportAction.displayName = 'FeedbackEraseReport'
