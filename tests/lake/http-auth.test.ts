/**
 * Who may do what, over real HTTPS: anonymous reads exactly as Content Lake serves them, each
 * role's reads and writes, the token CLI (create, list, revoke → 401), LAKE_ADMIN_TOKEN, the
 * browser sign-in with a session cookie, /users/me, key-value storage, the dataset ACL and CORS.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import type {SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {erasureOf} from '../../feedback/integrity'
import {AuthStore, REVOCATION_CHECK_MS} from '../../server/auth/tokens'
import {moveReport, whoAmI} from '../helpers/feedback'
import {lakeFetch, startTestLake, type TestLake} from '../helpers/lake'

const run = promisify(execFile)
const ENV_ADMIN_TOKEN = 'env-admin-token-for-tests-0123456789abcdef'

let lake: TestLake
let admin: SanityClient

beforeAll(async () => {
  lake = await startTestLake({dev: true, adminToken: ENV_ADMIN_TOKEN})
  admin = lake.client()
  await admin
    .transaction()
    .createOrReplace({_id: 'public-page', _type: 'page', title: 'Public'})
    .createOrReplace({_id: 'drafts.public-page', _type: 'page', title: 'Draft of public'})
    .createOrReplace({_id: 'drafts.draft-only', _type: 'page', title: 'Draft only'})
    .createOrReplace({
      _id: 'feedback.one',
      _type: 'feedbackSubmission',
      status: 'new',
      message: 'Private',
    })
    .createOrReplace({_id: 'settings.site', _type: 'settings', title: 'Sub-path'})
    .commit()
})
afterAll(() => lake.close())

const ids = (client: SanityClient) =>
  client.fetch<string[]>('*[]._id | order(@)', {}, {perspective: 'raw'})

describe('anonymous requests', () => {
  it('read only published documents on the root path, in every perspective', async () => {
    const anonymous = lake.client({token: null})
    expect(await ids(anonymous)).toEqual(['public-page'])
    expect(await anonymous.fetch('*[]._id', {}, {perspective: 'drafts'})).toEqual(['public-page'])
    expect(await anonymous.getDocument('drafts.public-page')).toBeUndefined()
    expect(await anonymous.getDocument('feedback.one')).toBeUndefined()
    const raw = await lakeFetch(
      lake,
      '/v1/data/doc/production/public-page,feedback.one,drafts.draft-only',
    )
    expect(raw.json()).toEqual({
      documents: [expect.objectContaining({_id: 'public-page'})],
      omitted: [
        {id: 'feedback.one', reason: 'permission'},
        {id: 'drafts.draft-only', reason: 'permission'},
      ],
    })
  })

  it('can neither dereference nor count hidden documents', async () => {
    const anonymous = lake.client({token: null})
    expect(await anonymous.fetch('count(*[_type == "feedbackSubmission"])')).toBe(0)
    expect(await anonymous.fetch('*[_id == "feedback.one"][0]')).toBeNull()
  })

  it('never write (401) and change nothing', async () => {
    const anonymous = lake.client({token: null})
    const before = await ids(admin)
    await expect(anonymous.create({_id: 'anon-write', _type: 'page'})).rejects.toMatchObject({
      statusCode: 401,
    })
    await expect(
      anonymous.action({
        actionType: 'sanity.action.document.delete',
        publishedId: 'public-page',
        includeDrafts: [],
      }),
    ).rejects.toMatchObject({statusCode: 401})
    expect(await ids(admin)).toEqual(before)
  })

  it('get {} from /users/me, as Content Lake answers a caller without credentials', async () => {
    // The Studio's own check for "signed in" is a string `id`; a 401 would be logged on every load.
    const anonymousClient = lake.client({token: null})
    expect(await anonymousClient.request({url: '/users/me'})).toEqual({})
    await expect(anonymousClient.request({url: '/users/me/keyvalue/a'})).rejects.toMatchObject({
      statusCode: 401,
    })
    // A credential that is not valid is still a 401: that is what makes the Studio drop it.
    await expect(
      lake.client({token: 'lake_not-a-token'}).request({url: '/users/me'}),
    ).rejects.toMatchObject({statusCode: 401})
  })

  it('get 401 from history and export', async () => {
    for (const path of [
      '/v1/data/export/production',
      '/v1/data/history/production/transactions/public-page',
    ]) {
      expect((await lakeFetch(lake, path)).status, path).toBe(401)
    }
  })

  it('an unknown token is a 401, not a silent anonymous read', async () => {
    const res = await lakeFetch(lake, '/v1/data/query/production?query=1', {token: 'lake_nope'})
    expect(res.status).toBe(401)
    expect(res.json()).toMatchObject({error: {type: 'unauthorizedError'}})
  })
})

describe('roles', () => {
  it('viewer reads everything but feedback and writes nothing (403)', async () => {
    const viewer = lake.client({token: lake.createToken('viewer')})
    expect(await ids(viewer)).toEqual([
      'drafts.draft-only',
      'drafts.public-page',
      'public-page',
      'settings.site',
    ])
    await expect(viewer.create({_id: 'viewer-write', _type: 'page'})).rejects.toMatchObject({
      statusCode: 403,
    })
    // Nor does history show it feedback.
    const viewerToken = lake.createToken('viewer')
    const log = await lakeFetch(lake, '/v1/data/history/production/transactions/feedback.one', {
      token: viewerToken,
    })
    expect(log.status).toBe(200)
    expect(log.text).toBe('')
    const past = await lakeFetch(lake, '/v1/data/history/production/documents/feedback.one', {
      token: viewerToken,
    })
    expect(past.json()).toEqual({documents: []})
    const own = await lakeFetch(lake, '/v1/data/history/production/transactions/public-page', {
      token: viewerToken,
    })
    expect(own.text).toContain('public-page')
    const exported = await lakeFetch(lake, '/v1/data/export/production', {
      token: lake.createToken('viewer'),
    })
    expect(exported.status).toBe(403)
  })

  it('reviewer reads everything and writes only feedback', async () => {
    const reviewer = lake.client({token: lake.createToken('reviewer')})
    expect(await ids(reviewer)).toContain('feedback.one')
    await moveReport(reviewer, 'feedback.one', 'triaged')
    // Reports are edited live (app/lake.ts's policy): no draft of one is written.
    await expect(
      reviewer.createOrReplace({_id: 'drafts.feedback.two', _type: 'feedbackSubmission'}),
    ).rejects.toMatchObject({statusCode: 409})
    await expect(reviewer.patch('public-page').set({title: 'x'}).commit()).rejects.toMatchObject({
      statusCode: 403,
    })
    // A transaction touching both is refused whole.
    await expect(
      reviewer
        .transaction()
        .patch('feedback.one', (p) => p.set({status: 'closed'}))
        .patch('public-page', (p) => p.set({title: 'x'}))
        .commit(),
    ).rejects.toMatchObject({statusCode: 403})
    expect(await admin.getDocument('feedback.one')).toMatchObject({status: 'triaged'})
    expect((await admin.getDocument('public-page'))?.['title']).toBe('Public')
  })

  it('editor writes everything but may not delete published feedback', async () => {
    const editor = lake.client({token: lake.createToken('editor')})
    await editor.patch('feedback.one').set({note: 'seen'}).commit()
    await expect(editor.delete('feedback.one')).rejects.toMatchObject({statusCode: 403})
    await expect(editor.delete({query: '*[_type == "feedbackSubmission"]'})).rejects.toMatchObject({
      statusCode: 403,
    })
    await expect(
      editor.action({
        actionType: 'sanity.action.document.delete',
        publishedId: 'feedback.one',
        includeDrafts: [],
      }),
    ).rejects.toMatchObject({statusCode: 403})
    expect(await admin.getDocument('feedback.one')).toMatchObject({note: 'seen'})
    // Its draft is fair game (publishing deletes drafts too).
    await editor.delete('drafts.feedback.two')
    await editor.create({_id: 'editor-page', _type: 'page'})
    await editor.delete('editor-page')
  })

  it('administrator (and LAKE_ADMIN_TOKEN) may erase feedback', async () => {
    const envAdmin = lake.client({token: ENV_ADMIN_TOKEN})
    await envAdmin.create({_id: 'feedback.gone', _type: 'feedbackSubmission', status: 'new'})
    // Deleting a report is erasing it (app/lake.ts's policy): an erasure record takes its place.
    const report = await envAdmin.getDocument('feedback.gone')
    const by = await whoAmI(envAdmin)
    await envAdmin.createOrReplace(
      erasureOf(report as {_id: string}, {by, at: new Date().toISOString(), reason: 'Test'}),
    )
    expect(await admin.getDocument('feedback.gone')).toMatchObject({_type: 'feedbackErasure'})
    const me = await lakeFetch(lake, '/v1/users/me', {token: ENV_ADMIN_TOKEN})
    expect(me.json()).toMatchObject({role: 'administrator'})
  })

  it('/users/me and the dataset ACL answer per role', async () => {
    const token = lake.createToken('reviewer', 'Rita Reviewer')
    const me = await lakeFetch(lake, '/v2026-05-04/users/me', {token})
    expect(me.json()).toEqual({
      id: expect.stringMatching(/^p-/),
      name: 'Rita Reviewer',
      email: expect.any(String),
      profileImage: null,
      provider: 'sanity',
      role: 'reviewer',
      roles: [{name: 'reviewer', title: 'Reviewer'}],
    })
    const acl = (
      await lakeFetch(lake, '/v2021-06-07/projects/local/datasets/production/acl', {token})
    ).json() as {filter: string; permissions: string[]}[]
    expect(acl.find((g) => g.filter.includes('feedback'))?.permissions).toContain('update')
    expect(acl.find((g) => g.filter === '_id in path("**")')?.permissions).not.toContain('update')
    const adminAcl = await lakeFetch(lake, '/v2021-06-07/projects/local/datasets/production/acl', {
      token: lake.adminToken,
    })
    expect(adminAcl.json()).toEqual([
      {
        filter: '_id in path("**")',
        permissions: expect.arrayContaining(['read', 'create', 'update']),
      },
    ])
    const missing = await lakeFetch(lake, '/v2021-06-07/projects/local/datasets/nope/acl', {token})
    expect(missing.status).toBe(404)
  })
})

describe('token CLI', () => {
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], {
      env: {...process.env, LAKE_DATA_DIR: lake.dataDir},
    })

  it('creates (printed once), lists, and revokes: a revoked token gets 401', async () => {
    const created = await cli('create', '--role', 'editor', '--name', 'CLI editor')
    const token = created.stdout.trim()
    expect(token).toMatch(/^lake_[\w-]{40,}$/)
    const id = /token (\w+) "CLI editor"/.exec(created.stderr)?.[1]
    expect(id).toBeDefined()

    const listed = await cli('list')
    expect(listed.stdout).toMatch(new RegExp(`${id}\\teditor\\t.*\\tCLI editor`))
    expect(listed.stdout).not.toContain(token)

    const editor = lake.client({token})
    await editor.create({_id: 'cli-doc', _type: 'page'})

    await cli('revoke', id ?? '')
    await expect(editor.fetch('1')).rejects.toMatchObject({statusCode: 401})
    await expect(editor.create({_id: 'cli-doc-2', _type: 'page'})).rejects.toMatchObject({
      statusCode: 401,
    })
    await expect(cli('create', '--role', 'owner', '--name', 'x')).rejects.toMatchObject({code: 2})
  })
})

describe('resolved tokens', () => {
  it('stop resolving once revoked, by this store or by another connection (the CLI)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lake-token-cache-'))
    try {
      const lakeSide = new AuthStore(dataDir)
      const first = lakeSide.createToken('First', 'editor')
      const second = lakeSide.createToken('Second', 'viewer')
      // Resolved once, so both are remembered.
      expect(lakeSide.identityForToken(first.token)).toMatchObject({role: 'editor'})
      expect(lakeSide.identityForToken(second.token)).toMatchObject({role: 'viewer'})
      const cli = new AuthStore(dataDir)
      cli.revokeToken(first.id)
      cli.close()
      // Another process's revocation is seen within REVOCATION_CHECK_MS of its commit.
      await new Promise((resolve) => setTimeout(resolve, REVOCATION_CHECK_MS + 1))
      expect(lakeSide.identityForToken(first.token)).toBeNull()
      expect(lakeSide.identityForToken(second.token)).toMatchObject({role: 'viewer'})
      lakeSide.revokeToken(second.id)
      expect(lakeSide.identityForToken(second.token)).toBeNull()
      expect(lakeSide.identityForToken('lake_never-issued')).toBeNull()
      lakeSide.close()
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})

describe('the local developer token', () => {
  it('is written on first start even if the CLI made tokens before', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lake-devtoken-'))
    try {
      const auth = new AuthStore(dataDir)
      auth.createToken('Made before the lake', 'viewer')
      auth.close()
      const fresh = await startTestLake({dataDir})
      expect(fresh.developerTokenFile).toBe(join(fresh.dataDir, 'admin-token'))
      expect(await fresh.client().request({url: '/users/me'})).toMatchObject({id: 'p-localdev'})
      await fresh.close()
      // Revoked (file kept): it stays revoked across restarts.
      const again = new AuthStore(dataDir)
      again.revokeToken('localdev')
      again.close()
      const restarted = await startTestLake({dataDir})
      expect(restarted.developerTokenFile).toBeNull()
      expect(
        (await lakeFetch(restarted, '/v1/users/me', {token: restarted.adminToken})).status,
      ).toBe(401)
      await restarted.close()
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})

describe('browser sign-in', () => {
  const form = (fields: Record<string, string>, origin = lake.url) =>
    lakeFetch(lake, '/auth/login', {
      method: 'POST',
      redirect: 'manual',
      headers: {'content-type': 'application/x-www-form-urlencoded', origin},
      body: new URLSearchParams(fields).toString(),
    })
  const sessionCookie = (setCookie: string | null) =>
    /^(__Host-lake_session=[^;]+)/.exec(setCookie ?? '')?.[1]

  it('lists the local provider and serves the login page', async () => {
    const providers = await lakeFetch(lake, '/vX/auth/providers')
    expect(providers.json()).toEqual({
      providers: [{name: 'local-lake', title: 'Local lake', url: `${lake.url}/auth/login`}],
    })
    const page = await lakeFetch(lake, '/auth/login?origin=https%3A%2F%2Flocalhost%3A3333%2Fstudio')
    expect(page.status).toBe(200)
    expect(page.text).toContain('name="token"')
    expect(page.text).toContain('Continue as local developer')
    expect(page.text).toContain('value="https://localhost:3333/studio"')
  })

  it('signs in with a pasted token: HttpOnly Secure cookie, redirect back, /users/me works', async () => {
    const token = lake.createToken('editor', 'Eddie Editor')
    const res = await form({token, origin: `${lake.url}/studio/structure`})
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${lake.url}/studio/structure`)
    const setCookie = res.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/Secure/)
    expect(setCookie).toMatch(/SameSite=Lax/)
    const cookie = sessionCookie(setCookie) ?? ''
    const me = await lakeFetch(lake, '/v2026-05-04/users/me', {headers: {cookie}})
    expect(me.json()).toMatchObject({name: 'Eddie Editor', role: 'editor'})
    expect((await lakeFetch(lake, '/v1/auth/id', {headers: {cookie}})).json()).toMatchObject({
      id: expect.stringMatching(/^p-/),
    })

    const out = await lakeFetch(lake, '/v1/auth/logout', {method: 'POST', headers: {cookie}})
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    // The ended session's cookie identifies nobody: `{}`, as for a caller without credentials.
    expect((await lakeFetch(lake, '/v1/users/me', {headers: {cookie}})).json()).toEqual({})
    expect((await lakeFetch(lake, '/v1/auth/id', {headers: {cookie}})).status).toBe(401)
  })

  it('hands a Studio on another loopback origin a one-time #sid to exchange for a token', async () => {
    const token = lake.createToken('editor', 'Dev Server Editor')
    const res = await form({token, origin: 'http://localhost:3333/studio/structure'})
    expect(res.status).toBe(303)
    const location = new URL(res.headers.get('location') ?? '')
    expect(location.origin + location.pathname).toBe('http://localhost:3333/studio/structure')
    const sid = /^#sid=([\w-]{20,})$/.exec(location.hash)?.[1] ?? ''
    expect(sid).not.toBe('')

    const exchanged = await lakeFetch(lake, `/v2021-06-07/auth/fetch?sid=${sid}`)
    const {token: sessionToken} = exchanged.json() as {token: string}
    expect(sessionToken).toMatch(/^lakes_/)
    const studio = lake.client({token: sessionToken})
    expect(await studio.request({url: '/users/me'})).toMatchObject({name: 'Dev Server Editor'})
    // The code works once.
    expect((await lakeFetch(lake, `/v2021-06-07/auth/fetch?sid=${sid}`)).status).toBe(401)
    // Signing out with the bearer ends that session.
    await lakeFetch(lake, '/v1/auth/logout', {method: 'POST', token: sessionToken})
    await expect(studio.request({url: '/users/me'})).rejects.toMatchObject({statusCode: 401})
  })

  // "Continue as local developer" and its one-time code: tests/lake/dev-login.test.ts.

  it('refuses a bad token, a cross-site form, and revoked tokens’ sessions', async () => {
    const bad = await form({token: 'lake_wrong'})
    expect(bad.status).toBe(401)
    expect(bad.headers.get('set-cookie')).toBeNull()
    const crossSite = await form({developer: '1'}, 'https://evil.example')
    expect(crossSite.status).toBe(403)

    const {id, token} = lake.createTokenWithId('viewer', 'Short-lived')
    const cookie = sessionCookie((await form({token})).headers.get('set-cookie')) ?? ''
    expect((await lakeFetch(lake, '/v1/users/me', {headers: {cookie}})).status).toBe(200)
    lake.revokeToken(id)
    expect((await lakeFetch(lake, '/v1/users/me', {headers: {cookie}})).json()).toEqual({})
    expect((await lakeFetch(lake, '/v1/auth/id', {headers: {cookie}})).status).toBe(401)
  })

  it('offers no developer sign-in without --dev', async () => {
    const plain = await startTestLake()
    try {
      const page = await lakeFetch(plain, '/auth/login')
      expect(page.text).not.toContain('Continue as local developer')
      const res = await lakeFetch(plain, '/auth/login', {
        method: 'POST',
        redirect: 'manual',
        headers: {'content-type': 'application/x-www-form-urlencoded', origin: plain.url},
        body: 'developer=1',
      })
      expect(res.status).toBe(403)
      expect(res.headers.get('set-cookie')).toBeNull()
    } finally {
      await plain.close()
    }
  })
})

describe('key-value store and CORS', () => {
  it('persists /users/me/keyvalue per user', async () => {
    const put = await lakeFetch(lake, '/v2024-09-01/users/me/keyvalue', {
      method: 'PUT',
      token: lake.adminToken,
      headers: {'content-type': 'application/json'},
      body: JSON.stringify([{key: 'studio.pane-width', value: {width: 320}}]),
    })
    expect(put.json()).toEqual([{key: 'studio.pane-width', value: {width: 320}}])
    const get = await lakeFetch(lake, '/v2024-09-01/users/me/keyvalue/studio.pane-width,other', {
      token: lake.adminToken,
    })
    expect(get.json()).toEqual([
      {key: 'studio.pane-width', value: {width: 320}},
      {key: 'other', value: null},
    ])
    const someoneElse = await lakeFetch(lake, '/v2024-09-01/users/me/keyvalue/studio.pane-width', {
      token: lake.createToken('editor'),
    })
    expect(someoneElse.json()).toEqual([{key: 'studio.pane-width', value: null}])
  })

  it('answers preflights for loopback origins only, with credentials', async () => {
    const preflight = await lakeFetch(lake, '/v2025-02-19/data/query/production', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3333',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization,x-sanity-app',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3333')
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization,x-sanity-app')
    expect(preflight.headers.get('vary')).toMatch(/Origin/)

    const foreign = await lakeFetch(lake, '/v1/ping', {headers: {origin: 'https://evil.example'}})
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
  })
})
