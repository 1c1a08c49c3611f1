import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import type { DataSource } from 'typeorm'
import { createDataSource, dbKindOf } from '../src/db/data-source.ts'
import { InboxDispatcher, type DispatcherOptions } from '../src/modules/inbox/dispatcher.ts'
import { EventHandlerRegistry, PermanentEventError } from '../src/modules/inbox/handler-registry.ts'
import { InboxEntity } from '../src/modules/inbox/inbox.entity.ts'
import { InboxWriter } from '../src/modules/inbox/inbox-writer.ts'
import { parseEventXml } from '../src/wecom/callback.ts'
import { entityKeyOf } from '../src/wecom/events.ts'
import { eventXml } from './helpers/events.ts'
import { describeOnDatabases } from './helpers/suite.ts'

const silent = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silent
  },
} as never
const EV = 'change_external_contact'

let n = 0
async function store(
  db: DataSource,
  changeType: string,
  ext = `wm${++n}`,
  extra: Record<string, string> = {},
) {
  const xml = eventXml({
    Event: EV,
    ChangeType: changeType,
    UserID: 'lina',
    ExternalUserID: ext,
    Seq: String(++n),
    ...extra,
  })
  const ev = await parseEventXml(xml)
  const writer = new InboxWriter(db, () => {})
  await writer.write({
    hash: createHash('sha256').update(xml).digest('hex'),
    event: EV,
    changeType,
    entityKey: entityKeyOf(ev),
    payload: xml,
    status: 'pending',
  })
  return db.getRepository(InboxEntity).findOneByOrFail({ payload: xml })
}

function dispatcher(db: DataSource, registry: EventHandlerRegistry, opts: Partial<DispatcherOptions> = {}) {
  return new InboxDispatcher(
    db,
    dbKindOf(String((db.options as { url?: string }).url ?? 'sqlite:')),
    registry,
    silent,
    { backoffBaseMs: 1, ...opts },
  )
}

describeOnDatabases('inbox dispatcher', (ctx) => {
  const db = () => ctx().t.app.db
  const clean = () => db().getRepository(InboxEntity).createQueryBuilder().delete().execute()

  test('runs the steps in order, records them and marks the row done', async () => {
    await clean()
    const calls: string[] = []
    const reg = new EventHandlerRegistry()
      .on(EV, 'edit_external_contact', { name: 'a', run: async () => void calls.push('a') })
      .on(EV, 'edit_external_contact', { name: 'b', run: async () => void calls.push('b') })
    const row = await store(db(), 'edit_external_contact')
    assert.equal(await dispatcher(db(), reg).drain(), 1)
    const after = await db().getRepository(InboxEntity).findOneByOrFail({ id: row.id })
    assert.deepEqual(calls, ['a', 'b'])
    assert.equal(after.status, 'done')
    assert.equal(after.stepsDone, 'a,b')
    assert.ok(after.processedAt)
  })

  test('a failing step is retried with backoff, parked after N tries, and a replay skips the steps already done', async () => {
    await clean()
    let aRuns = 0
    let failB = true
    const reg = new EventHandlerRegistry()
      .on(EV, 'edit_external_contact', { name: 'a', run: async () => void aRuns++ })
      .on(EV, 'edit_external_contact', {
        name: 'b',
        run: async () => {
          if (failB) throw new Error('WeCom said 45009')
        },
      })
    const d = dispatcher(db(), reg, { maxAttempts: 3, backoffBaseMs: 100 })
    const row = await store(db(), 'edit_external_contact')
    const repo = db().getRepository(InboxEntity)
    await d.drain()
    let r = await repo.findOneByOrFail({ id: row.id })
    assert.equal(r.status, 'retry')
    assert.equal(r.attempts, 1)
    assert.equal(r.lastError, 'WeCom said 45009')
    assert.ok(r.nextAttemptAt.getTime() > Date.now(), 'the retry waits for its backoff')
    for (let i = 0; i < 10 && r.status !== 'parked'; i++) {
      await new Promise((res) => setTimeout(res, 100))
      await d.drain()
      r = await repo.findOneByOrFail({ id: row.id })
    }
    r = await repo.findOneByOrFail({ id: row.id })
    assert.equal(r.status, 'parked')
    assert.equal(r.attempts, 3)
    assert.equal(aRuns, 1, 'step a succeeded once and is never rerun')
    failB = false
    assert.equal(await d.replay(row.id), true)
    await d.drain()
    r = await repo.findOneByOrFail({ id: row.id })
    assert.equal(r.status, 'done')
    assert.equal(aRuns, 1)
  })

  test('a permanent error parks at once; an event without steps is ignored', async () => {
    await clean()
    const reg = new EventHandlerRegistry().on(EV, 'transfer_fail', {
      name: 'x',
      run: async () => {
        throw new PermanentEventError('no such customer')
      },
    })
    const bad = await store(db(), 'transfer_fail')
    const unhandled = await store(db(), 'del_follow_user')
    await dispatcher(db(), reg).drain()
    const repo = db().getRepository(InboxEntity)
    assert.equal((await repo.findOneByOrFail({ id: bad.id })).status, 'parked')
    assert.equal((await repo.findOneByOrFail({ id: unhandled.id })).status, 'ignored')
  })

  test('rows a crashed instance held are taken over once its lease expires', async () => {
    await clean()
    const row = await store(db(), 'edit_external_contact')
    // Simulate an instance that claimed the row and died.
    await db()
      .getRepository(InboxEntity)
      .update(
        { id: row.id },
        { status: 'processing', claimToken: 'dead-instance', leaseUntil: new Date(Date.now() - 1000) },
      )
    let ran = 0
    const reg = new EventHandlerRegistry().on(EV, 'edit_external_contact', {
      name: 'a',
      run: async () => void ran++,
    })
    await dispatcher(db(), reg).drain()
    assert.equal(ran, 1)
    assert.equal((await db().getRepository(InboxEntity).findOneByOrFail({ id: row.id })).status, 'done')
  })

  test('events about one customer are handled in arrival order', async () => {
    await clean()
    const seen: string[] = []
    const reg = new EventHandlerRegistry()
    for (const ct of ['add_external_contact', 'edit_external_contact', 'del_follow_user'])
      reg.on(EV, ct, {
        name: 'order',
        run: async (ev) => {
          await new Promise((r) => setTimeout(r, ct === 'add_external_contact' ? 30 : 1))
          seen.push(ev.ChangeType)
        },
      })
    for (const ct of ['add_external_contact', 'edit_external_contact', 'del_follow_user'])
      await store(db(), ct, 'wmSAME')
    await dispatcher(db(), reg).drain()
    assert.deepEqual(seen, ['add_external_contact', 'edit_external_contact', 'del_follow_user'])
  })

  test('three instances on one database handle each of 300 rows exactly once', async () => {
    await clean()
    const rows = 300
    const writer = new InboxWriter(db(), () => {})
    await Promise.all(
      Array.from({ length: rows }, async (_, i) => {
        const xml = eventXml({
          Event: EV,
          ChangeType: 'edit_external_contact',
          UserID: 'lina',
          ExternalUserID: `wmMULTI${i}`,
        })
        await writer.write({
          hash: createHash('sha256').update(xml).digest('hex'),
          event: EV,
          changeType: 'edit_external_contact',
          entityKey: `contact:wmMULTI${i}`,
          payload: xml,
          status: 'pending',
        })
      }),
    )
    const handled = new Map<string, number>()
    const reg = new EventHandlerRegistry().on(EV, 'edit_external_contact', {
      name: 'count',
      run: async (ev) => {
        await new Promise((r) => setTimeout(r, Math.random() * 3))
        handled.set(ev.ExternalUserID!, (handled.get(ev.ExternalUserID!) ?? 0) + 1)
      },
    })
    // Each "instance" has its own connection pool, as separate processes would.
    const url = ctx().db.url
    const pools = await Promise.all(
      [0, 1, 2].map(async () => createDataSource(url, { poolSize: 4 }).initialize()),
    )
    try {
      const instances = pools.map(
        (p) => new InboxDispatcher(p, dbKindOf(url), reg, silent, { batchSize: 20 }),
      )
      await Promise.all(instances.map((d) => d.drain()))
      assert.equal(handled.size, rows)
      assert.ok(
        [...handled.values()].every((v) => v === 1),
        'no row handled twice',
      )
      assert.equal(await db().getRepository(InboxEntity).countBy({ status: 'done' }), rows)
    } finally {
      await Promise.all(pools.map((p) => p.destroy()))
    }
  })

  test('the background loop wakes on new rows without waiting for the poll interval', async () => {
    await clean()
    let handledAt = 0
    const reg = new EventHandlerRegistry().on(EV, 'edit_external_contact', {
      name: 'a',
      run: async () => void (handledAt = Date.now()),
    })
    const d = dispatcher(db(), reg, { pollMs: 60_000 })
    d.start()
    try {
      await new Promise((r) => setTimeout(r, 50))
      const writer = new InboxWriter(db(), () => d.wake())
      const xml = eventXml({
        Event: EV,
        ChangeType: 'edit_external_contact',
        UserID: 'lina',
        ExternalUserID: 'wmWAKE',
      })
      const t0 = Date.now()
      await writer.write({
        hash: createHash('sha256').update(xml).digest('hex'),
        event: EV,
        changeType: 'edit_external_contact',
        entityKey: 'contact:wmWAKE',
        payload: xml,
        status: 'pending',
      })
      for (let i = 0; i < 300 && !handledAt; i++) await new Promise((r) => setTimeout(r, 10))
      assert.ok(handledAt > 0, 'handled')
      // Far below the 60 s poll interval: the write woke the loop (generous bound for a loaded CI machine).
      assert.ok(handledAt - t0 < 3000, `handled ${handledAt - t0} ms after the write`)
    } finally {
      await d.stop()
    }
  })
})
