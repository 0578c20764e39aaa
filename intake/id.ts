/**
 * Deterministic document ids. The form sends an idempotency key; the same key always names the
 * same `feedback.<uuid>`, so a resubmitted form or a retried write (`createIfNotExists`) never
 * makes a second report. The uuid is a name-based (v5, SHA-1) UUID per RFC 9562.
 */
import {createHash, randomUUID} from 'node:crypto'

import {feedbackDocumentId} from '../feedback/workflow'

/** This project's namespace for feedback ids (a random v4 UUID fixed once, never to change). */
export const FEEDBACK_ID_NAMESPACE = '0b6f3a52-5f43-4d4e-9a57-4c1f0f3e8d21'

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex')
}

/** RFC 9562 UUIDv5 of `name` in `namespace`. */
export function uuidV5(name: string, namespace: string = FEEDBACK_ID_NAMESPACE): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest()
  const bytes = hash.subarray(0, 16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** `feedback.<uuid>`: derived from the idempotency key when there is one, random otherwise. */
export function submissionId(idempotencyKey: string | undefined): string {
  return feedbackDocumentId(idempotencyKey ? uuidV5(idempotencyKey) : randomUUID())
}
