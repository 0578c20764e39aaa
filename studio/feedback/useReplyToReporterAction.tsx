/**
 * "Reply to reporter": the address a reporter left with their consent, with a button that copies
 * it. Offered only to reviewers and administrators (the only roles the lake answers the address
 * to), and only when the report has one.
 */
import {EnvelopeIcon} from '@sanity/icons/Envelope'
import {Button, Flex, Stack, Text} from '@sanity/ui'
import {useEffect, useState} from 'react'
import {type DocumentActionComponent, useClient, useCurrentUser} from 'sanity'

import {apiVersion} from '../../lib/env'
import {contactIdFor} from '../../feedback/contact'
import {FEEDBACK_TYPE, reportContactQuery} from './queries'
import {canReadContacts} from './roles'

export const useReplyToReporterAction: DocumentActionComponent = (props) => {
  const client = useClient({apiVersion})
  const user = useCurrentUser()
  const [open, setOpen] = useState(false)
  const [email, setEmail] = useState<string>()
  const [copied, setCopied] = useState(false)
  const allowed = props.type === FEEDBACK_TYPE && canReadContacts(user)

  useEffect(() => {
    if (!allowed) return
    let live = true
    client
      .fetch<{email?: string} | null>(reportContactQuery, {id: contactIdFor(props.id)})
      .then((contact) => live && setEmail(contact?.email))
      .catch(() => live && setEmail(undefined))
    return () => {
      live = false
    }
  }, [allowed, client, props.id])

  if (!allowed || !email) return null
  return {
    label: 'Reply to reporter',
    icon: EnvelopeIcon,
    title: 'The reporter asked to be contacted and left an email address',
    onHandle: () => setOpen(true),
    dialog: open
      ? {
          type: 'dialog',
          header: 'Reply to the reporter',
          onClose: () => {
            setOpen(false)
            setCopied(false)
          },
          content: (
            <Stack gap={3}>
              <Text size={1} muted>
                They ticked “You may contact me about this report”. The address is erased a set time
                after the report is closed.
              </Text>
              <Flex gap={3} align="center">
                <Text data-testid="reporter-email" size={2}>
                  <a href={`mailto:${email}`}>{email}</a>
                </Text>
                <Button
                  text={copied ? 'Copied' : 'Copy address'}
                  mode="ghost"
                  onClick={() =>
                    void navigator.clipboard.writeText(email).then(() => setCopied(true))
                  }
                />
              </Flex>
            </Stack>
          ),
        }
      : null,
  }
}
useReplyToReporterAction.displayName = 'FeedbackReplyToReporter'
