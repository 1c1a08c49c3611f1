// The dispatcher's gate between urgent steps (welcomes) and bookkeeping (mirror, tags, remark).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PriorityGate } from '../src/modules/inbox/priority-gate.ts'

const tick = () => new Promise((r) => setImmediate(r))

/** A bookkeeping row that records when it started and finishes when told to. */
function row(gate: PriorityGate, log: string[], name: string) {
  let finish!: () => void
  const done = gate.bookkeeping(
    () =>
      new Promise<void>((r) => {
        log.push(name)
        finish = r
      }),
  )
  return { done, finish: () => finish() }
}

test('while urgent work runs, only the background share of bookkeeping passes', async () => {
  const gate = new PriorityGate({ background: 1, max: 3, maxWaitMs: 60_000 })
  const log: string[] = []
  gate.urgentStarted()
  const rows = ['a', 'b', 'c', 'd'].map((n) => row(gate, log, n))
  await tick()
  assert.deepEqual(log, ['a'])
  assert.equal(gate.waiting, 3)

  gate.urgentEnded() // no urgent work left: up to `max` at once
  await tick()
  assert.deepEqual(log, ['a', 'b', 'c'])
  assert.equal(gate.running, 3)

  rows[0].finish()
  await rows[0].done
  await tick()
  assert.deepEqual(log, ['a', 'b', 'c', 'd'], 'a finished row lets the next one in, in arrival order')
  for (const r of rows.slice(1)) r.finish()
  await Promise.all(rows.map((r) => r.done))
  assert.equal(gate.running, 0)
})

test('a bookkeeping row that waited maxWaitMs passes even while urgent work continues', async () => {
  let now = 1_000
  const gate = new PriorityGate({ background: 0, max: 2, maxWaitMs: 50 }, () => now)
  const log: string[] = []
  gate.urgentStarted()
  const first = row(gate, log, 'first')
  await tick()
  assert.deepEqual(log, [], 'no background share: it waits')

  now += 50 // its timer fires at the deadline (real time), and the clock says it has aged
  await new Promise((r) => setTimeout(r, 80))
  assert.deepEqual(log, ['first'])
  first.finish()
  await first.done
  gate.urgentEnded()
})

test('a failing bookkeeping row frees its place', async () => {
  const gate = new PriorityGate({ background: 1, max: 1, maxWaitMs: 60_000 })
  await assert.rejects(
    gate.bookkeeping(() => Promise.reject(new Error('WeCom down'))),
    /WeCom down/,
  )
  assert.equal(gate.running, 0)
  assert.equal(await gate.bookkeeping(async () => 'next'), 'next')
})

test('openAll lets every waiter through (shutdown)', async () => {
  const gate = new PriorityGate({ background: 0, max: 1, maxWaitMs: 60_000 })
  const log: string[] = []
  gate.urgentStarted()
  const rows = ['a', 'b', 'c'].map((n) => row(gate, log, n))
  await tick()
  assert.deepEqual(log, [])
  gate.openAll()
  await tick()
  assert.deepEqual(log, ['a', 'b', 'c'])
  for (const r of rows) r.finish()
  await Promise.all(rows.map((r) => r.done))
})
