import assert from 'node:assert/strict'
import { test } from 'node:test'
import Fastify from 'fastify'
import validation from '../src/plugins/validation.ts'
import { TEST_ADMIN, adminCookie } from './helpers/app.ts'
import { describeOnDatabases } from './helpers/suite.ts'

describeOnDatabases('foundation', (ctx) => {
  test('GET /healthz reports the database as up', async () => {
    const res = await ctx().t.app.inject({ method: 'GET', url: '/healthz' })
    assert.equal(res.statusCode, 200)
    assert.deepEqual(res.json(), { status: 'ok', db: 'up', version: '0.1.0' })
  })

  test('an unknown route is a 404 in the error shape', async () => {
    const res = await ctx().t.app.inject({ method: 'GET', url: '/api/nothing-here' })
    assert.equal(res.statusCode, 404)
    assert.deepEqual(Object.keys(res.json()).sort(), ['code', 'message', 'statusCode'])
    assert.equal(res.json().code, 'not_found')
  })

  test('admin routes need a session', async () => {
    for (const url of [
      '/api/admin/auth/me',
      '/api/admin/inbox',
      '/api/admin/customers',
      '/api/admin/sync/runs',
    ]) {
      const res = await ctx().t.app.inject({ method: 'GET', url })
      assert.equal(res.statusCode, 401, url)
      assert.equal(res.json().code, 'unauthenticated')
    }
  })

  test('login sets a signed httpOnly cookie that opens the admin API', async () => {
    const { app } = ctx().t
    const res = await app.inject({ method: 'POST', url: '/api/admin/auth/login', payload: TEST_ADMIN })
    assert.equal(res.statusCode, 200)
    assert.equal(res.json().user.role, 'admin')
    const cookie = res.cookies.find((c) => c.name === 'scrm_admin')
    assert.ok(cookie?.httpOnly)
    const me = await app.inject({
      method: 'GET',
      url: '/api/admin/auth/me',
      headers: { cookie: `scrm_admin=${cookie!.value}` },
    })
    assert.equal(me.json().user.username, TEST_ADMIN.username)
    // A tampered cookie (another user id, same signature) is refused.
    const forged = cookie!.value.replace(/^\d+/, '2')
    const bad = await app.inject({
      method: 'GET',
      url: '/api/admin/auth/me',
      headers: { cookie: `scrm_admin=${forged}` },
    })
    assert.equal(bad.statusCode, 401)
  })

  test('a wrong password and an unknown user get the same answer', async () => {
    const { app } = ctx().t
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      payload: { username: TEST_ADMIN.username, password: 'nope-nope' },
      remoteAddress: '10.0.0.2',
    })
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      payload: { username: 'ghost', password: 'nope-nope' },
      remoteAddress: '10.0.0.2',
    })
    assert.equal(wrong.statusCode, 401)
    assert.equal(unknown.statusCode, 401)
    assert.deepEqual(wrong.json(), unknown.json())
  })

  test('a body failing the schema is a 400 naming the field', async () => {
    const res = await ctx().t.app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      payload: { username: 'x', password: 12 },
      remoteAddress: '10.0.0.3',
    })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().code, 'validation_error')
    assert.match(res.json().message, /password/)
    const missing = await ctx().t.app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      payload: { username: 'x' },
      remoteAddress: '10.0.0.3',
    })
    assert.match(missing.json().message, /password/)
  })

  test('repeated login attempts from one address are rate-limited', async () => {
    const { app } = ctx().t
    const codes: number[] = []
    for (let i = 0; i < 12; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/admin/auth/login',
        payload: { username: 'admin', password: `guess-${i}` },
        remoteAddress: '10.9.9.9',
      })
      codes.push(res.statusCode)
    }
    assert.deepEqual(codes.slice(0, 10), Array(10).fill(401))
    assert.equal(codes[11], 429)
  })

  test('logout clears the session cookie', async () => {
    const { app } = ctx().t
    const cookie = await adminCookie(app)
    const res = await app.inject({ method: 'POST', url: '/api/admin/auth/logout', headers: { cookie } })
    assert.equal(res.statusCode, 204)
    const cleared = res.cookies.find((c) => c.name === 'scrm_admin')
    assert.equal(cleared?.value, '')
  })

  test('only the admin role may add console users; operators may list them', async () => {
    const { app } = ctx().t
    const admin = await adminCookie(app)
    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: { cookie: admin },
      payload: { username: 'op1', password: 'operator-pass', role: 'operator' },
    })
    assert.equal(created.statusCode, 201)
    assert.equal(created.json().user.role, 'operator')
    const dup = await app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: { cookie: admin },
      payload: { username: 'op1', password: 'operator-pass', role: 'operator' },
    })
    assert.equal(dup.statusCode, 409)
    const login = await app.inject({
      method: 'POST',
      url: '/api/admin/auth/login',
      payload: { username: 'op1', password: 'operator-pass' },
      remoteAddress: '10.0.0.7',
    })
    const op = `scrm_admin=${login.cookies.find((c) => c.name === 'scrm_admin')!.value}`
    const list = await app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie: op } })
    assert.deepEqual(
      list
        .json()
        .items.map((u: { username: string }) => u.username)
        .sort(),
      ['admin', 'op1'],
    )
    const denied = await app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: { cookie: op },
      payload: { username: 'op2', password: 'operator-pass', role: 'admin' },
    })
    assert.equal(denied.statusCode, 403)
    const weak = await app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: { cookie: admin },
      payload: { username: 'op3', password: 'short', role: 'operator' },
    })
    assert.equal(weak.statusCode, 400)
    assert.match(weak.json().message, /password/)
  })

  test('every API route declares a schema', async () => {
    assert.deepEqual(ctx().t.app.routesWithoutSchema, [])
    // The check itself notices a route without one.
    const probe = Fastify()
    await probe.register(validation)
    probe.get('/api/probe', async () => ({}))
    await probe.ready()
    assert.deepEqual(probe.routesWithoutSchema, ['GET /api/probe'])
    await probe.close()
  })

  test('OpenAPI docs are served at /docs', async () => {
    const { app } = ctx().t
    const spec = await app.inject({ method: 'GET', url: '/docs/json' })
    assert.equal(spec.statusCode, 200)
    assert.ok(spec.json().paths['/wecom/callback'])
    assert.ok(spec.json().paths['/api/admin/auth/login'])
  })

  test('migrations revert and re-apply cleanly', async () => {
    const { db } = ctx().t.app
    for (let i = 0; i < db.migrations.length; i++) await db.undoLastMigration()
    assert.equal(
      await db.query('SELECT COUNT(*) AS n FROM admin_user').then(
        () => 'exists',
        () => 'dropped',
      ),
      'dropped',
    )
    await db.runMigrations()
    assert.equal(await db.showMigrations(), false)
    // The admin user was dropped with the schema; recreate it for any later test.
    await ctx().t.app.adminUsers.create(TEST_ADMIN.username, TEST_ADMIN.password, 'admin')
  })
})
