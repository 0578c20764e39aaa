/**
 * The careers site's lake: the generic local lake (`server/`) with the feedback domain's access
 * grant and workflow policy, and the public intake mounted at `POST /feedback`. `npm run lake` and
 * `npm run dev` start this; nothing in `server/` knows about feedback.
 */
import {join} from 'node:path'

import {feedbackGrant, INTAKE_ROLE} from '../feedback/access'
import {INTAKE_WRITER_ID} from '../feedback/integrity'
import {feedbackWriteRefusal} from '../feedback/policy'
import {CAREERS_INDEXED_FIELDS} from './indexes'
import type {FeedbackRequestHandler} from '../intake'
import {createFeedbackIntakeFromEnv, isFeedbackRequest} from '../intake/mount'
import type {IntakeLake} from '../intake/lake'
import {INTAKE_INDEXED_FIELDS} from '../intake/queries'
import {isMain} from '../lib/cli'
import {FEEDBACK_INTAKE_TOKEN_FILE} from '../lib/client'
import type {LakeApplication, LakeSession} from '../server/application'
import {AuthStore, tokenUserId} from '../server/auth/tokens'
import {type RunningLake, startLake, type StartLakeOptions} from '../server/lake'
import {runLakeFromEnv} from '../server/main'

export interface CareersLake extends RunningLake {
  /** The intake this lake mounts; the frontend in `npm run dev` mounts the same one. */
  feedback: FeedbackRequestHandler
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
    createIfNotExists: async (document) => {
      const {results} = await session.mutate([{createIfNotExists: document}])
      return results.some((result) => result.operation === 'create')
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
 * Who files reports (`feedback/policy.ts`): the intake mounted here, and a frontend's intake
 * writing with the token this lake made for it. Token holders' ids are `p-<token id>`.
 */
const intakeWriters = [INTAKE_IDENTITY.id, tokenUserId(FRONTEND_INTAKE_TOKEN.id)]

export function careersApplication(
  onIntake?: (handler: FeedbackRequestHandler) => void,
): LakeApplication {
  return {
    access: {subPaths: [feedbackGrant]},
    writePolicies: [
      (changes, identity) => feedbackWriteRefusal(changes, identity, {intakeWriters}),
    ],
    routes(host) {
      const handler = createFeedbackIntakeFromEnv({
        lake: intakeLakeFromSession(host.session(INTAKE_IDENTITY)),
        onError: (error) =>
          host.log(`feedback intake: ${error instanceof Error ? error.message : String(error)}`),
      })
      onIntake?.(handler)
      return [{matches: isFeedbackRequest, handle: handler}]
    },
  }
}

export async function startCareersLake(options: StartLakeOptions): Promise<CareersLake> {
  let feedback: FeedbackRequestHandler | undefined
  const lake = await startLake({
    ...options,
    // What the Studio, the frontend and the intake filter on, indexed from the start.
    indexedFields: [
      ...CAREERS_INDEXED_FIELDS,
      ...INTAKE_INDEXED_FIELDS,
      ...(options.indexedFields ?? []),
    ],
    application: careersApplication((handler) => (feedback = handler)),
  })
  if (!feedback) throw new Error('The careers lake did not mount its feedback intake')
  const auth = new AuthStore(lake.dataDir)
  try {
    auth.ensureServiceToken(join(lake.dataDir, FEEDBACK_INTAKE_TOKEN_FILE), FRONTEND_INTAKE_TOKEN)
  } finally {
    auth.close()
  }
  return Object.assign(lake, {feedback})
}

if (isMain(import.meta.url)) await runLakeFromEnv(startCareersLake)
