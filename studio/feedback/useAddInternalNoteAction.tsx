/** Adds an internal note (author, time, text) without touching the report's status. */
import {EditIcon} from '@sanity/icons/Edit'
import {Button, Stack, Text, TextArea} from '@sanity/ui'
import {useRef, useState} from 'react'
import {type DocumentActionComponent, useClient, useCurrentUser} from 'sanity'

import {apiVersion} from '../../lib/env'
import {FEEDBACK_TYPE} from './queries'
import {canWriteFeedback} from './roles'

/** The note as stored: a keyed `internalNote` array item. */
export function internalNote(author: string, text: string, at: Date, key: string) {
  return {_type: 'internalNote', _key: key, author, at: at.toISOString(), text: text.trim()}
}

export const useAddInternalNoteAction: DocumentActionComponent = (props) => {
  const client = useClient({apiVersion})
  const user = useCurrentUser()
  const [open, setOpen] = useState(false)
  // Read from the text area on save, never held in state: a re-render per keystroke on a busy
  // machine dropped characters typed ~40 ms apart (issue #14). `typed` keeps a refused note.
  const textRef = useRef<HTMLTextAreaElement>(null)
  const typed = useRef('')
  const [error, setError] = useState<string>()
  const doc = props.published ?? props.draft
  if (props.type !== FEEDBACK_TYPE || !doc || !user || !canWriteFeedback(user)) return null

  const save = async () => {
    const text = textRef.current?.value ?? typed.current
    typed.current = text
    if (text.trim() === '') {
      setError('An empty note tells the next reviewer nothing.')
      return
    }
    try {
      await client
        .patch(doc._id)
        .setIfMissing({internalNotes: []})
        .append('internalNotes', [
          internalNote(user.name || user.id, text, new Date(), crypto.randomUUID().slice(0, 12)),
        ])
        .commit()
      typed.current = ''
      setOpen(false)
      props.onComplete()
    } catch (e) {
      setError(`The note was not saved: ${(e as Error).message}`)
    }
  }

  return {
    label: 'Add internal note',
    icon: EditIcon,
    onHandle: () => setOpen(true),
    dialog: open
      ? {
          type: 'dialog',
          header: 'Add an internal note',
          onClose: () => setOpen(false),
          content: (
            <Stack gap={3}>
              <Text size={1} muted>
                Only people signed in to the Studio see notes.
              </Text>
              <TextArea
                ref={textRef}
                rows={4}
                defaultValue={typed.current}
                aria-label="Internal note"
              />
              {error ? (
                <Text size={1} style={{color: 'var(--card-badge-critical-fg-color)'}}>
                  {error}
                </Text>
              ) : null}
              <Button text="Add note" tone="primary" onClick={() => void save()} />
            </Stack>
          ),
        }
      : null,
  }
}
useAddInternalNoteAction.displayName = 'FeedbackAddInternalNote'
