// Kill -9 in the middle of a 1,000-callback burst, restart, let WeCom retry what was not acknowledged:
// every acknowledged callback is stored, every callback ends up stored exactly once and handled.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createDataSource } from '../src/db/data-source.ts'
import { InboxEntity } from '../src/modules/inbox/inbox.entity.ts'
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from './helpers/databases.ts'
import { freePort, sealedTagEvent, startServerProcess, type ServerProcess } from './helpers/server-process.ts'

const TOTAL = 1000

async function post(port: string, e: { path: string; body: string }): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${e.path}`, {
      method: 'POST',
      body: e.body,
      headers: { 'content-type': 'text/xml' },
      signal: AbortSignal.timeout(5000),
    })
    await res.text()
    return res.status === 200
  } catch {
    return false
  }
}

for (const kind of DATABASE_KINDS) {
  describe(`SIGKILL during a callback burst [${kind}]`, () => {
    let db: TestDatabase
    let server: ServerProcess | undefined
    before(async () => {
      db = await createTestDatabase(kind)
    })
    after(async () => {
      await server?.stop('SIGKILL')
      await db.drop()
    })

    test('no acknowledged callback is lost and none is stored or handled twice', async () => {
      const env = { DATABASE_URL: db.url, WECOM_SIMULATOR: 'true', INBOX_LEASE_SECONDS: '2' }
      const events = Array.from({ length: TOTAL }, (_, i) => sealedTagEvent(`crash-${i}`))
      server = startServerProcess({ ...env, PORT: await freePort() })
      await server.ready

      // Fire the burst 50 at a time and pull the plug once about 40% has been acknowledged.
      const acked = new Set<number>()
      let next = 0
      let killed = false
      const first = server
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          while (next < TOTAL && !killed) {
            const i = next++
            if (await post(first.port, events[i])) acked.add(i)
            if (!killed && acked.size >= TOTAL * 0.4) {
              killed = true
              first.child.kill('SIGKILL')
            }
          }
        }),
      )
      await first.stop('SIGKILL')
      assert.ok(acked.size >= TOTAL * 0.4 && acked.size < TOTAL, `killed mid-burst (${acked.size} acked)`)

      // Every acknowledged callback is already in the database.
      const check = await createDataSource(db.url).initialize()
      try {
        const stored = new Set(
          (await check.getRepository(InboxEntity).find({ select: { payload: true } })).map((r) => r.payload),
        )
        const lost = [...acked].filter((i) => !stored.has(events[i].xml))
        assert.deepEqual(lost, [], 'acknowledged but not stored')
      } finally {
        await check.destroy()
      }

      // Restart; WeCom retries everything it did not get a 200 for (and some retries of acked ones race in too).
      server = startServerProcess({ ...env, PORT: await freePort() })
      await server.ready
      const retries = events.map((e, i) => ({ e, i })).filter(({ i }) => !acked.has(i) || i % 10 === 0)
      for (let k = 0; k < retries.length; k += 50)
        assert.ok(
          (await Promise.all(retries.slice(k, k + 50).map(({ e }) => post(server!.port, e)))).every(Boolean),
        )

      const verify = await createDataSource(db.url).initialize()
      try {
        const repo = verify.getRepository(InboxEntity)
        const deadline = Date.now() + 60_000
        while ((await repo.countBy({ status: 'done' })) < TOTAL && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 200))
        const rows = await repo.find({ select: { payload: true, status: true, hash: true } })
        assert.equal(rows.length, TOTAL, 'each callback stored exactly once')
        assert.equal(new Set(rows.map((r) => r.payload)).size, TOTAL)
        const notDone = rows.filter((r) => r.status !== 'done')
        assert.equal(notDone.length, 0, `rows not handled: ${notDone.map((r) => r.status).join(',')}`)
      } finally {
        await verify.destroy()
      }
    })
  })
}
