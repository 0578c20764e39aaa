import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {buildExportQuery, csvField, parseExportArgs, toCsv} from '../../scripts/feedback-export'
import type {FeedbackStatus} from '../../feedback/workflow'
import {INTAKE_IDENTITY} from '../../app/lake'
import {contactOf} from '../../feedback/contact'
import {reportInState} from '../helpers/feedback'
import {startTestLake, type TestLake} from '../helpers/lake'

describe('csvField (RFC 4180)', () => {
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a, b')).toBe('"a, b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('line\r\nbreak')).toBe('"line\r\nbreak"')
    expect(csvField(undefined)).toBe('')
  })
  it('defuses formulas from the public', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvField('+1')).toBe("'+1")
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
  })
})

describe('toCsv', () => {
  it('writes the header and one CRLF-terminated row per report', () => {
    const csv = toCsv([
      {
        submittedAt: '2026-11-25T09:00:00.000Z',
        page: 'Cardiac sciences',
        path: '/a',
        category: 'broken-link',
        whatDoing: 'Reading',
        whatWentWrong: 'Link, broken',
        status: 'resolved',
        assignee: 'p-1',
        resolutionNote: 'Fixed',
      },
    ])
    expect(csv).toBe(
      'date,page,path,category,text,state,assignee,resolution\r\n' +
        '2026-11-25T09:00:00.000Z,Cardiac sciences,/a,A link is broken,"What I was doing: Reading\nWhat went wrong: Link, broken",Resolved,p-1,Fixed\r\n',
    )
  })
})

describe('parseExportArgs and buildExportQuery', () => {
  it('filters only when asked, always by parameters', () => {
    const q = buildExportQuery(
      parseExportArgs([
        '--from',
        '2026-11-01',
        '--to',
        '2026-11-30',
        '--state',
        'new,triaged',
        '--path',
        '/working-health',
      ]),
    )
    expect(q.params).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
      states: ['new', 'triaged'],
      path: '/working-health',
    })
    expect(q.query).not.toContain('2026')
    expect(q.query).toContain('piiMasked != true')
  })
  it('excludes spam and PII-masked reports by default, includes them on request', () => {
    expect(buildExportQuery({}).query).toContain('status != "spam"')
    const all = buildExportQuery({includeSpam: true, includePii: true}).query
    expect(all).not.toContain('spam')
    expect(all).not.toContain('piiMasked')
  })
  it('refuses bad dates, states and paths', () => {
    expect(() => parseExportArgs(['--from', '1/11/2026'])).toThrow(/--from/)
    expect(() => parseExportArgs(['--state', 'done'])).toThrow(/not a workflow state/)
    expect(() => parseExportArgs(['--path', 'working'])).toThrow(/--path/)
    expect(() => parseExportArgs(['--bogus'])).toThrow()
  })
})

describe('npm run feedback:export against a real lake', () => {
  let lake: TestLake
  beforeAll(async () => {
    lake = await startTestLake()
    const admin = lake.client()
    await admin.createOrReplace({_id: 'page-a', _type: 'page', title: 'Page A'})
    const base = {
      _type: 'feedbackSubmission',
      path: '/working-health/a',
      page: {_type: 'reference', _ref: 'page-a', _weak: true},
    }
    // Filed by the intake and moved as reviewers move them: the workflow holds on every write.
    const reports: [Record<string, unknown> & {_id: string}, FeedbackStatus][] = [
      [{_id: 'feedback.1', whatWentWrong: 'First', submittedAt: '2026-11-02T10:00:00.000Z'}, 'new'],
      [
        {_id: 'feedback.2', whatWentWrong: 'Buy pills', submittedAt: '2026-11-03T10:00:00.000Z'},
        'spam',
      ],
      [
        {
          _id: 'feedback.3',
          whatWentWrong: 'Mail [email removed]',
          piiMasked: true,
          submittedAt: '2026-11-04T10:00:00.000Z',
        },
        'resolved',
      ],
      [
        {_id: 'feedback.4', whatWentWrong: 'Too early', submittedAt: '2026-10-01T10:00:00.000Z'},
        'triaged',
      ],
      [
        {
          _id: 'feedback.5',
          path: '/elsewhere',
          whatWentWrong: 'Other section',
          submittedAt: '2026-11-05T10:00:00.000Z',
        },
        'new',
      ],
    ]
    for (const [fields, status] of reports) {
      // Only the fields this test states: the export's columns are compared exactly.
      const unset = {
        whatDoing: undefined,
        category: undefined,
        url: undefined,
        userAgent: undefined,
      }
      const extra = {fingerprint: undefined, contactConsent: undefined, piiMasked: undefined}
      await reportInState(lake, admin, {...base, ...unset, ...extra, ...fields}, status)
    }
    // The reporter of feedback.1 left an address, filed as the intake files it.
    await lake
      .session(INTAKE_IDENTITY)
      .mutate([{createIfNotExists: {...contactOf('feedback.1', 'first@example.org')}}])
  })
  afterAll(async () => lake?.close())

  async function run(...args: string[]) {
    const {stdout} = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/feedback-export.ts', ...args],
      {
        env: {
          ...process.env,
          LAKE_URL: lake.url,
          LAKE_DATA_DIR: lake.dataDir,
          LAKE_TOKEN: '',
          SANITY_STUDIO_PROJECT_ID: '',
        },
      },
    )
    return stdout
  }

  it('exports the date range and path, without spam and PII-masked reports', async () => {
    const csv = await run('--from', '2026-11-01', '--to', '2026-11-30', '--path', '/working-health')
    const lines = csv.trimEnd().split('\r\n')
    expect(lines[0]).toBe('date,page,path,category,text,state,assignee,resolution')
    expect(lines.slice(1)).toEqual([
      '2026-11-02T10:00:00.000Z,Page A,/working-health/a,,What went wrong: First,New,,',
    ])
  })

  it("leaves reporters' addresses out unless --include-contact is given", async () => {
    const range = ['--from', '2026-11-01', '--to', '2026-11-30', '--path', '/working-health']
    expect(await run(...range)).not.toContain('first@example.org')
    const lines = (await run(...range, '--include-contact')).trimEnd().split('\r\n')
    expect(lines[0]).toBe('date,page,path,category,text,state,assignee,resolution,contact email')
    expect(lines.slice(1)).toEqual([
      '2026-11-02T10:00:00.000Z,Page A,/working-health/a,,What went wrong: First,New,,,first@example.org',
    ])
  })

  it('includes spam and PII-masked reports when asked, and filters by state', async () => {
    const csv = await run(
      '--include-spam',
      '--include-pii',
      '--from',
      '2026-11-01',
      '--path',
      '/working-health',
    )
    expect(csv).toContain('Buy pills')
    expect(csv).toContain('[email removed]')
    expect(await run('--state', 'triaged')).toContain('Too early')
    expect(await run('--state', 'triaged')).not.toContain('First')
  })
})
