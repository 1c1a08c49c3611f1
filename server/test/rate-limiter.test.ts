import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RateLimiter } from '../src/wecom/rate-limiter.ts'

test('never more calls in flight than the concurrency cap', async () => {
  const limiter = new RateLimiter(10_000, 3)
  let active = 0
  let peak = 0
  await Promise.all(
    Array.from({ length: 30 }, async () => {
      const release = await limiter.acquire('externalcontact/get')
      active++
      peak = Math.max(peak, active)
      await new Promise((r) => setTimeout(r, 2))
      active--
      release()
    }),
  )
  assert.equal(peak, 3)
})

test('a path over its per-minute budget waits; other paths do not', async () => {
  const limiter = new RateLimiter(5, 100)
  for (let i = 0; i < 5; i++) (await limiter.acquire('a'))()
  let sixthGranted = false
  void limiter.acquire('a').then((release) => {
    sixthGranted = true
    release()
  })
  const other = await limiter.acquire('b')
  other()
  await new Promise((r) => setTimeout(r, 50))
  assert.equal(sixthGranted, false, 'the sixth call in the same minute is held back')
})
