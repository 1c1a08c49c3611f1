// The server as a real process: bad configuration stops it at start; SIGTERM drains and exits cleanly.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { after, test } from 'node:test'
import { createDataSource } from '../src/db/data-source.ts'
import { InboxEntity } from '../src/modules/inbox/inbox.entity.ts'
import { createTestDatabase } from './helpers/databases.ts'
import { freePort, sealedTagEvent, startServerProcess } from './helpers/server-process.ts'

test('invalid configuration: exit 1 with a message naming each bad variable', () => {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: resolve(import.meta.dirname, '..'),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: 'abc',
      DATABASE_URL: 'oracle://x',
      WECOM_SIMULATOR: '',
    },
    encoding: 'utf8',
    timeout: 60_000,
  })
  assert.equal(res.status, 1)
  for (const name of [
    'PORT',
    'DATABASE_URL',
    'WECOM_CORP_ID',
    'WECOM_SECRET',
    'WECOM_CALLBACK_AES_KEY',
    'SESSION_SECRET',
  ])
    assert.match(res.stderr, new RegExp(name))
  assert.doesNotMatch(res.stderr, /at .*\.ts:\d+/, 'no stack trace')
})

const db = await createTestDatabase('sqlite')
after(() => db.drop())

test('SIGTERM: accepted callbacks are answered and stored, then the process exits 0', async () => {
  const server = startServerProcess({ PORT: await freePort(), DATABASE_URL: db.url, WECOM_SIMULATOR: 'true' })
  await server.ready
  let firstAnswer: () => void = () => {}
  const answered = new Promise<void>((r) => (firstAnswer = r))
  const events = Array.from({ length: 300 }, (_, i) => sealedTagEvent(`term-${i}`))
  const inflight = events.map((e) =>
    fetch(`http://127.0.0.1:${server.port}${e.path}`, {
      method: 'POST',
      body: e.body,
      headers: { 'content-type': 'text/xml' },
    }).then(
      (r) => (firstAnswer(), r.status),
      () => 0,
    ),
  )
  await answered
  server.child.kill('SIGTERM')
  const statuses = await Promise.all(inflight)
  const code = await new Promise<number | null>((r) =>
    server.child.exitCode !== null ? r(server.child.exitCode) : server.child.once('exit', (c) => r(c)),
  )
  assert.equal(code, 0, server.output())
  // Each request was answered 200 (stored), refused with 503 while closing, or never connected.
  assert.ok(
    statuses.every((s) => s === 200 || s === 503 || s === 0),
    statuses.join(','),
  )
  const acked = events.filter((_, i) => statuses[i] === 200)
  assert.ok(acked.length > 0)
  const check = await createDataSource(db.url).initialize()
  try {
    const stored = new Set(
      (await check.getRepository(InboxEntity).find({ select: { payload: true } })).map((r) => r.payload),
    )
    assert.deepEqual(
      acked.filter((e) => !stored.has(e.xml)).length,
      0,
      'every 200 was stored before the exit',
    )
  } finally {
    await check.destroy()
  }
})
