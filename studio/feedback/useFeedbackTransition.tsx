/**
 * The shared logic of every workflow action: whether the move is allowed for the current user
 * (read from the workflow data through `applyTransition`), the dialog that asks for what the move
 * needs (a resolution note, a spam reason, the original of a duplicate), and the write, which
 * carries the revision it was decided on so a concurrent change fails instead of being lost.
 */
import {Button, Card, Select, Stack, Text, TextArea} from '@sanity/ui'
import {type ChangeEvent, useCallback, useEffect, useMemo, useRef, useState} from 'react'
import {
  type DocumentActionDescription,
  type DocumentActionProps,
  useClient,
  useCurrentUser,
} from 'sanity'

import {apiVersion} from '../../lib/env'
import {type FeedbackStatus, workflowState} from '../../feedback/workflow'
import {applyTransition, blockerForRoles, effectiveRole} from '../../feedback/transitions'
import {FEEDBACK_TYPE, samePathFeedbackQuery} from './queries'

interface Candidate {
  _id: string
  whatWentWrong?: string
  whatDoing?: string
  submittedAt?: string
}

function needsInput(to: FeedbackStatus): boolean {
  const state = workflowState(to)
  return Boolean(state?.resolutionNote) || to === 'spam' || to === 'duplicate'
}

function noteLabel(to: FeedbackStatus): string {
  if (to === 'spam') return 'Why is this spam?'
  if (workflowState(to)?.resolutionNote === 'required') return 'What was changed? (required)'
  return 'Why? (recommended)'
}

/** `to` undefined means "no action here" (the action renders nothing). */
export function useFeedbackTransition(
  props: DocumentActionProps,
  to: FeedbackStatus | undefined,
  labelPrefix = '',
): DocumentActionDescription | null {
  const client = useClient({apiVersion})
  const user = useCurrentUser()
  const [open, setOpen] = useState(false)
  // The note is read from the text area when the move is made, never held in state: a re-render
  // per keystroke on a busy machine lost characters typed ~40 ms apart (issue #14). What was
  // typed survives a refused move in `typed`, and comes back as the text area's default.
  const noteRef = useRef<HTMLTextAreaElement>(null)
  const typed = useRef('')
  const [duplicateOf, setDuplicateOf] = useState('')
  const [candidates, setCandidates] = useState<Candidate[]>([])
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  // Feedback is live-edited: the published document is the one being triaged.
  const doc = props.published ?? props.draft
  const roles = useMemo(() => user?.roles.map((r) => r.name) ?? [], [user])

  useEffect(() => {
    if (!open || to !== 'duplicate' || !doc) return
    let live = true
    client
      .fetch<Candidate[]>(samePathFeedbackQuery, {path: doc['path'] ?? '', id: doc._id})
      .then((rows) => live && setCandidates(rows))
      .catch(() => live && setCandidates([]))
    return () => {
      live = false
    }
  }, [client, doc, open, to])

  const commit = useCallback(async () => {
    if (!doc || !to) return
    if (!user) return
    const note = noteRef.current?.value ?? typed.current
    typed.current = note
    const result = applyTransition(doc, to, {
      role: effectiveRole(doc['status'], to, roles),
      note,
      duplicateOf,
      // The move's audit trail entry: the lake refuses a move without one, by anyone else.
      by: {id: user.id, name: user.name},
      at: new Date().toISOString(),
    })
    if (!result.ok) {
      setError(result.reason)
      setOpen(true)
      return
    }
    setBusy(true)
    try {
      const {id, ifRevisionID, set, audit} = result.patch
      const patch = client
        .patch(id)
        .set(set)
        .setIfMissing({auditTrail: []})
        .append('auditTrail', audit ? [audit] : [])
      await (ifRevisionID ? patch.ifRevisionId(ifRevisionID) : patch).commit()
      setOpen(false)
      typed.current = ''
      setError(undefined)
      props.onComplete()
    } catch (e) {
      setError(
        (e as {statusCode?: number}).statusCode === 409
          ? 'Someone else changed this report a moment ago; look at it again before moving it.'
          : `The change was not saved: ${(e as Error).message}`,
      )
      setOpen(true)
    } finally {
      setBusy(false)
    }
  }, [client, doc, duplicateOf, props, roles, to, user])

  if (props.type !== FEEDBACK_TYPE || !doc || !to) return null
  const target = workflowState(to)
  if (!target || doc['status'] === to) return null
  const blocker = blockerForRoles(doc['status'], to, roles)

  const close = () => {
    setOpen(false)
    setError(undefined)
  }

  return {
    label: `${labelPrefix}${target.title}`,
    title: blocker ?? target.description,
    tone: target.tone === 'default' ? undefined : target.tone,
    disabled: Boolean(blocker) || busy,
    onHandle: () => {
      if (needsInput(to)) setOpen(true)
      else void commit()
    },
    dialog: open
      ? {
          type: 'dialog',
          header: `Mark as "${target.title}"`,
          onClose: close,
          content: (
            <Stack gap={4}>
              <Text size={1} muted>
                {target.description}
              </Text>
              {to === 'duplicate' ? (
                <Stack gap={2}>
                  <Text size={1} weight="semibold">
                    Which report does this repeat?
                  </Text>
                  <Select
                    value={duplicateOf}
                    onChange={(e: ChangeEvent<HTMLSelectElement>) =>
                      setDuplicateOf(e.currentTarget.value)
                    }
                  >
                    <option value="">Choose a report about the same page</option>
                    {candidates.map((c) => (
                      <option key={c._id} value={c._id}>
                        {(c.submittedAt ?? '').slice(0, 10)} ·{' '}
                        {(c.whatWentWrong || c.whatDoing || '(no text)').slice(0, 80)}
                      </option>
                    ))}
                  </Select>
                </Stack>
              ) : (
                <Stack gap={2}>
                  <Text size={1} weight="semibold">
                    {noteLabel(to)}
                  </Text>
                  <TextArea
                    ref={noteRef}
                    rows={4}
                    defaultValue={typed.current}
                    aria-label={noteLabel(to)}
                  />
                </Stack>
              )}
              {error ? (
                <Card padding={3} tone="critical" radius={2}>
                  <Text size={1}>{error}</Text>
                </Card>
              ) : null}
              <Button
                text={`Mark as "${target.title}"`}
                tone="primary"
                disabled={busy}
                onClick={() => void commit()}
              />
            </Stack>
          ),
        }
      : error
        ? {
            type: 'dialog',
            header: 'Not changed',
            onClose: close,
            content: <Text size={1}>{error}</Text>,
          }
        : null,
  }
}
