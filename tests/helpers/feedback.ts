/**
 * Reports in a test lake, the way they get there for real: filed by the intake's own identity
 * through the lake's session (the rules `POST /feedback` writes under), and moved with the patch
 * the Studio's actions send (`applyTransition`: the new state, what it needs, one audit entry).
 *
 *   await fileReport(lake, {_id: 'feedback.a', whatWentWrong: 'Broken link'})
 *   await moveReport(reviewer, 'feedback.a', 'triaged')
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import type {SanityClient} from '@sanity/client'

import {INTAKE_IDENTITY} from '../../app/lake'
import {FEEDBACK_INTAKE_TOKEN_FILE} from '../../lib/client'
import {applyTransition, type TransitionOptions} from '../../feedback/transitions'
import type {FeedbackStatus} from '../../feedback/workflow'
import type {RunningLake} from '../../server/lake'
import type {TestLake} from './lake'

export function fileReport(
  lake: Pick<RunningLake, 'session'>,
  fields: {_id: string} & Record<string, unknown>,
): Promise<unknown> {
  return lake.session(INTAKE_IDENTITY).mutate([
    {
      createIfNotExists: {
        _type: 'feedbackSubmission',
        status: 'new',
        url: 'https://www.healthcareers.nhs.uk/a',
        path: '/a',
        whatDoing: 'Reading about training',
        whatWentWrong: 'The link to the register is broken',
        category: 'broken-link',
        contactConsent: false,
        submittedAt: new Date().toISOString(),
        fingerprint: 'f1',
        userAgent: 'Tests/1.0',
        piiMasked: false,
        ...fields,
      },
    },
  ])
}

/** Who the client's token is, as the Studio learns it (`/users/me`). */
export async function whoAmI(client: SanityClient): Promise<{id: string; name: string}> {
  return client.request<{id: string; name: string}>({url: '/users/me'})
}

/** Moves a report as the Studio's workflow action does; rejects as the lake answers. */
export async function moveReport(
  client: SanityClient,
  id: string,
  to: FeedbackStatus,
  options: Omit<TransitionOptions, 'by' | 'at'> = {},
): Promise<void> {
  const me = await whoAmI(client)
  const doc = await client.getDocument(id)
  if (!doc) throw new Error(`No report ${id}`)
  const result = applyTransition(doc, to, {...options, by: me, at: new Date().toISOString()})
  if (!result.ok) throw new Error(result.reason)
  const {set, audit, ifRevisionID} = result.patch
  let patch = client.patch(id).set(set)
  if (audit) patch = patch.setIfMissing({auditTrail: []}).append('auditTrail', [audit])
  await (ifRevisionID ? patch.ifRevisionId(ifRevisionID) : patch).commit()
}

/**
 * The token an intake in front of the lake files reports with: the reviewer token the careers
 * lake made for it and wrote to its data directory (`intake-token`).
 */
export function intakeToken(lake: Pick<TestLake, 'dataDir'>): string {
  return readFileSync(join(lake.dataDir, FEEDBACK_INTAKE_TOKEN_FILE), 'utf8').trim()
}

/** The moves from "new" to each state, with what each needs. */
const pathTo: Record<FeedbackStatus, readonly FeedbackStatus[]> = {
  new: [],
  triaged: ['triaged'],
  'in-progress': ['triaged', 'in-progress'],
  resolved: ['triaged', 'in-progress', 'resolved'],
  'wont-fix': ['triaged', 'wont-fix'],
  duplicate: ['duplicate'],
  spam: ['spam'],
  'not-a-page-problem': ['not-a-page-problem'],
}

/**
 * A report filed by the intake and moved by `client` (a reviewer's or an administrator's) into
 * `status`, as it would get there; the original of a duplicate is filed alongside.
 */
export async function reportInState(
  lake: Pick<RunningLake, 'session'>,
  client: SanityClient,
  fields: {_id: string} & Record<string, unknown>,
  status: FeedbackStatus,
): Promise<void> {
  await fileReport(lake, fields)
  for (const to of pathTo[status]) {
    const original = `${fields._id}-original`
    if (to === 'duplicate') await fileReport(lake, {...fields, _id: original})
    await moveReport(client, fields._id, to, {note: `Moved to ${to}`, duplicateOf: original})
  }
}
