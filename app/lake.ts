/**
 * The careers site's lake: the generic local lake (`server/`) with the feedback domain's access
 * grant and workflow policy, and the public intake mounted at `POST /feedback`. `npm run lake` and
 * `npm run dev` start this; nothing in `server/` knows about feedback.
 */
import {join} from 'node:path'

import {contactGrant, feedbackGrant, INTAKE_ROLE, usefulGrant} from '../feedback/access'
import {
  CONTACT_ERASURE_TYPE,
  CONTACT_SWEEP_WRITER_ID,
  CONTACT_TYPE,
  contactErasureOf,
  contactRetentionDays,
  contactsDueForErasure,
} from '../feedback/contact'
import {ERASURE_TYPE, INTAKE_WRITER_ID} from '../feedback/integrity'
import {feedbackWriteRefusal} from '../feedback/policy'
import {CAREERS_INDEXED_FIELDS, CAREERS_ORDERED_FIELDS} from './indexes'
import type {FeedbackIntakeOptions, FeedbackRequestHandler} from '../intake'
import {createFeedbackIntakeFromEnv, isFeedbackRequest} from '../intake/mount'
import {createMutations, incrementMutations, type IntakeLake} from '../intake/lake'
import {INTAKE_INDEXED_FIELDS} from '../intake/queries'
import {isMain} from '../lib/cli'
import {FEEDBACK_INTAKE_TOKEN_FILE, PREVIEW_TOKEN_FILE} from '../lib/client'
import type {LakeApplication, LakeSession} from '../server/application'
import {AuthStore, tokenUserId} from '../server/auth/tokens'
import {type RunningLake, startLake, type StartLakeOptions} from '../server/lake'
import {runLakeFromEnv} from '../server/main'

export interface CareersLake extends RunningLake {
  /** The intake this lake mounts; the frontend in `npm run dev` mounts the same one. */
  feedback: FeedbackRequestHandler
  /**
   * Erases reporters' addresses whose report has been closed for the retention period; resolves
   * to how many were erased. The lake runs it on a timer; tests call it after moving the clock.
   */
  sweepContacts(): Promise<number>
  /**
   * Another intake writing through this lake's session as `feedback` does, with options of its
   * own: the frontend in `npm run dev` passes its page renderer (`renderPage`).
   */
  intake(options?: Partial<FeedbackIntakeOptions>): FeedbackRequestHandler
}

export interface CareersLakeOptions extends StartLakeOptions {
  /** The lake's clock for feedback rules and the contact sweep (tests pass one they control). */
  clock?: () => number
  /** Days a reporter's address is kept after the report closes (`FEEDBACK_CONTACT_RETENTION_DAYS`). */
  contactRetentionDays?: number
  /** How often the contact sweep runs (default hourly); 0 turns the timer off. */
  contactSweepIntervalMs?: number
}

/** The retention sweep's identity: may write addresses (as a reviewer), and erase them. */
export const CONTACT_SWEEP_IDENTITY = {
  id: CONTACT_SWEEP_WRITER_ID,
  name: 'Contact retention',
  role: INTAKE_ROLE,
}

/** An hour: retention is counted in days, so the erasure is never more than an hour late. */
const CONTACT_SWEEP_INTERVAL_MS = 60 * 60 * 1000

/**
 * One pass of the retention sweep: every address whose report has been closed `retentionDays` or
 * more (or is gone) is replaced by its erasure record, one transaction each (one refusal does not
 * hold up the rest).
 */
export async function sweepContacts(
  session: LakeSession,
  now: number,
  retentionDays: number,
  log: (message: string) => void = () => undefined,
): Promise<number> {
  const contacts = session.query<{_id: string; report: {_ref: string}}[]>(
    `*[_type == $type]{_id, report}`,
    {type: CONTACT_TYPE},
    'published',
  )
  if (contacts.length === 0) return 0
  const reportIds = [...new Set(contacts.map((c) => c.report._ref))]
  const reports = new Map(
    session
      .getDocuments(reportIds)
      .flatMap((doc) => (doc ? [[doc._id, doc as {_id: string; _type: string}] as const] : [])),
  )
  let erased = 0
  for (const due of contactsDueForErasure(contacts, reports, now, retentionDays)) {
    try {
      await session.mutate([
        {
          createOrReplace: {
            ...contactErasureOf(due, {
              by: CONTACT_SWEEP_IDENTITY.id,
              at: new Date(now).toISOString(),
              reason: due.reason,
            }),
          },
        },
      ])
      erased++
    } catch (error) {
      log(`contact sweep: ${due._id}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return erased
}

/**
 * The public intake's identity inside the lake: the least role that may write a report, and an id
 * no token holder can have (theirs are `p-…`), which is how the policy knows only the intake files
 * reports.
 */
export const INTAKE_IDENTITY = {id: INTAKE_WRITER_ID, name: 'Feedback intake', role: INTAKE_ROLE}

/** The intake's reads and writes through the lake's session: published reads, reviewer rules. */
export function intakeLakeFromSession(session: LakeSession): IntakeLake {
  return {
    fetch: async (query, params = {}) => session.query(query, params, 'published'),
    getDocument: async <R extends object>(id: string) =>
      (session.getDocuments([id])[0] ?? undefined) as R | undefined,
    createIfNotExists: async (document, companions) => {
      const {results} = await session.mutate(createMutations(document, companions))
      return results.some((result) => result.id === document._id && result.operation === 'create')
    },
    increment: async (counter, field) => {
      await session.mutate(incrementMutations(counter, field))
    },
  }
}

/**
 * The token a frontend's intake (`npm run web`, on another process) writes with: a reviewer, like
 * the intake inside the lake, so the public form's server never holds an administrator's key.
 */
export const FRONTEND_INTAKE_TOKEN = {
  id: 'frontend-intake',
  name: 'Feedback intake (frontend)',
  role: INTAKE_ROLE,
}

/**
 * The token the frontend reads drafts with in draft mode (`web/draftMode.ts`): a viewer, which may
 * read every document and write none, so the preview's server can show drafts and nothing more.
 */
export const FRONTEND_PREVIEW_TOKEN = {
  id: 'frontend-preview',
  name: 'Draft preview (frontend)',
  role: 'viewer',
} as const

/**
 * Who files reports (`feedback/policy.ts`): the intake mounted here, and a frontend's intake
 * writing with the token this lake made for it. Token holders' ids are `p-<token id>`.
 */
const intakeWriters = [INTAKE_IDENTITY.id, tokenUserId(FRONTEND_INTAKE_TOKEN.id)]

export function careersApplication(
  onIntake?: (handler: FeedbackRequestHandler) => void,
  clock: () => number = Date.now,
): LakeApplication {
  return {
    access: {subPaths: [feedbackGrant, contactGrant, usefulGrant]},
    writePolicies: [
      (changes, identity) => feedbackWriteRefusal(changes, identity, {intakeWriters, now: clock()}),
    ],
    // An erased report or address must not live on in the lake's history either.
    redactsHistory: ({previous, result}) =>
      previous !== null &&
      result !== null &&
      (result._type === ERASURE_TYPE || result._type === CONTACT_ERASURE_TYPE) &&
      previous._type !== result._type,
    routes(host) {
      const handler = createFeedbackIntakeFromEnv({
        clock,
        lake: intakeLakeFromSession(host.session(INTAKE_IDENTITY)),
        onError: (error) =>
          host.log(`feedback intake: ${error instanceof Error ? error.message : String(error)}`),
      })
      onIntake?.(handler)
      return [{matches: isFeedbackRequest, handle: handler}]
    },
  }
}

export async function startCareersLake(options: CareersLakeOptions): Promise<CareersLake> {
  const {clock = Date.now, contactRetentionDays: days, contactSweepIntervalMs, ...rest} = options
  const retentionDays = days ?? contactRetentionDays(process.env['FEEDBACK_CONTACT_RETENTION_DAYS'])
  let feedback: FeedbackRequestHandler | undefined
  const lake = await startLake({
    ...rest,
    // What the Studio, the frontend and the intake filter on, indexed from the start.
    indexedFields: [
      ...CAREERS_INDEXED_FIELDS,
      ...INTAKE_INDEXED_FIELDS,
      ...(options.indexedFields ?? []),
    ],
    orderedFields: [...CAREERS_ORDERED_FIELDS, ...(options.orderedFields ?? [])],
    application: careersApplication((handler) => (feedback = handler), clock),
  })
  if (!feedback) throw new Error('The careers lake did not mount its feedback intake')
  const auth = new AuthStore(lake.dataDir)
  try {
    auth.ensureServiceToken(join(lake.dataDir, FEEDBACK_INTAKE_TOKEN_FILE), FRONTEND_INTAKE_TOKEN)
    auth.ensureServiceToken(join(lake.dataDir, PREVIEW_TOKEN_FILE), FRONTEND_PREVIEW_TOKEN)
  } finally {
    auth.close()
  }
  const log = options.log ?? ((message: string) => console.error(message))
  const sweepSession = lake.session(CONTACT_SWEEP_IDENTITY)
  const sweep = () => sweepContacts(sweepSession, clock(), retentionDays, log)
  const interval = contactSweepIntervalMs ?? CONTACT_SWEEP_INTERVAL_MS
  const timer =
    interval > 0
      ? setInterval(() => {
          sweep().catch((error: unknown) => log(`contact sweep: ${String(error)}`))
        }, interval)
      : undefined
  // The sweep never keeps the process alive on its own.
  timer?.unref()
  const close = lake.close.bind(lake)
  return Object.assign(lake, {
    feedback,
    sweepContacts: sweep,
    intake: (extra: Partial<FeedbackIntakeOptions> = {}) =>
      createFeedbackIntakeFromEnv({
        lake: intakeLakeFromSession(lake.session(INTAKE_IDENTITY)),
        clock,
        onError: (error) =>
          log(`feedback intake: ${error instanceof Error ? error.message : String(error)}`),
        ...extra,
      }),
    close: async () => {
      if (timer) clearInterval(timer)
      await close()
    },
  })
}

if (isMain(import.meta.url)) await runLakeFromEnv(startCareersLake)
