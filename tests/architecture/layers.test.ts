/**
 * The layering is enforced by ESLint (`eslint.config.mjs`), which CI runs: these cases prove the
 * rule catches an import that runs back up, and lets the allowed ones through.
 */
import {ESLint} from 'eslint'
import {describe, expect, it} from 'vitest'

const eslint = new ESLint({cwd: process.cwd()})

async function restricted(filePath: string, specifier: string): Promise<boolean> {
  const [result] = await eslint.lintText(`import {x} from '${specifier}'\nexport const y = x\n`, {
    filePath,
  })
  return (result?.messages ?? []).some((message) => message.ruleId === 'no-restricted-imports')
}

describe('import layering', () => {
  it.each([
    ['server/auth/writeRules.ts', '../../feedback/workflow'],
    ['server/auth/writeRules.ts', '../../schemas'],
    ['server/lake.ts', '../intake/mount'],
    ['server/lake.ts', '../app/lake'],
    ['server/http/tls.ts', '../../lib/client'],
    ['server/http/app.ts', '../../web/server'],
    ['server/store/index.ts', 'sanity'],
    ['feedback/workflow.ts', '../server/store/types'],
    ['feedback/transitions.ts', '../schemas/documents/feedbackSubmission'],
    ['feedback/pii.ts', 'sanity'],
    ['intake/index.ts', '../server/store/types'],
    ['intake/html.ts', '../schemas/options'],
    ['schemas/documents/page.ts', '../../server/store/types'],
    ['studio/feedback/useFeedbackTransition.tsx', '../../intake/validate'],
    ['studio/tools.ts', '../server/auth/access'],
    ['web/server.tsx', '../scripts/lib/write'],
    ['web/views.tsx', '../server/lake'],
    ['lib/roles.ts', '../server/store/types'],
  ])('%s may not import %s', async (file, specifier) => {
    expect(await restricted(file, specifier)).toBe(true)
  })

  it.each([
    ['server/auth/access.ts', '../../lib/roles'],
    ['server/http/data.ts', '../store/types'],
    ['server/http/app.ts', './static'],
    ['feedback/workflow.ts', '../lib/roles'],
    ['schemas/documents/feedbackSubmission.ts', '../../feedback/workflow'],
    ['intake/index.ts', '../feedback/pii'],
    ['studio/feedback/useFeedbackTransition.tsx', '../../feedback/transitions'],
    ['web/server.tsx', '../intake/mount'],
    ['web/server.tsx', 'react-dom/server'],
    ['app/lake.ts', '../server/lake'],
    ['lib/client.ts', '../server/files'],
  ])('%s may import %s', async (file, specifier) => {
    expect(await restricted(file, specifier)).toBe(false)
  })
})
