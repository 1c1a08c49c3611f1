import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import axios from 'axios'
import { simulatorClient, startSimulator, type RunningSimulator } from '../src/simulator/index.ts'

describe('simulator: fault injection', () => {
  let sim: RunningSimulator
  let api: Awaited<ReturnType<typeof simulatorClient>>
  const PATH = '/cgi-bin/externalcontact/get_follow_user_list'

  before(async () => {
    sim = await startSimulator({ prefix: '/simulator' })
    api = await simulatorClient(sim)
  })
  beforeEach(() => sim.corp.faults.clear())
  after(() => sim.close())

  test('errcode 45009 twice, then success; the log marks the faulted calls', async () => {
    sim.corp.faults.add({ path: PATH, kind: 'errcode', errcode: 45009, times: 2 })
    const since = sim.corp.calls.lastSeq
    const codes = []
    for (let i = 0; i < 3; i++) codes.push((await api.get(PATH)).errcode)
    assert.deepEqual(codes, [45009, 45009, 0])
    const log = sim.corp.calls.list({ path: PATH, since })
    assert.deepEqual(
      log.map((c) => [c.errcode, c.fault ?? null]),
      [
        [45009, 'errcode'],
        [45009, 'errcode'],
        [0, null],
      ],
    )
  })

  test('rules apply in order; prefix rules match a family; other paths are untouched', async () => {
    sim.corp.faults.add({ path: '/cgi-bin/externalcontact/*', kind: 'errcode', errcode: 45033 })
    sim.corp.faults.add({ path: '/cgi-bin/externalcontact/*', kind: 'errcode', errcode: -1 })
    assert.equal((await api.get('/cgi-bin/get_jsapi_ticket')).errcode, 0)
    assert.equal((await api.get(PATH)).errcode, 45033)
    const busy = await api.get('/cgi-bin/externalcontact/list', { userid: 'lina' })
    assert.equal(busy.errcode, -1)
    assert.match(busy.errmsg, /system is busy/)
    assert.equal((await api.get(PATH)).errcode, 0)
  })

  test('an injected 42001 looks like an expired token to the client', async () => {
    sim.corp.faults.add({ path: PATH, kind: 'errcode', errcode: 42001 })
    assert.equal((await api.get(PATH)).errcode, 42001)
    assert.equal((await api.get(PATH)).errcode, 0)
  })

  test('http5xx answers a non-JSON 503', async () => {
    sim.corp.faults.add({ path: PATH, kind: 'http5xx' })
    const res = await api.http.get(PATH, { params: { access_token: api.accessToken } })
    assert.equal(res.status, 503)
    assert.equal((await api.get(PATH)).errcode, 0)
  })

  test('latency delays the real answer', async () => {
    sim.corp.faults.add({ path: PATH, kind: 'latency', ms: 300 })
    const started = Date.now()
    assert.equal((await api.get(PATH)).errcode, 0)
    assert.ok(Date.now() - started >= 290)
  })

  test('drop destroys the socket; hang never answers (client timeout)', async () => {
    sim.corp.faults.add({ path: PATH, kind: 'drop' })
    await assert.rejects(
      axios.get(`${sim.url}${PATH}`, { params: { access_token: api.accessToken } }),
      (e: { code?: string }) => e.code === 'ECONNRESET',
    )
    sim.corp.faults.add({ path: PATH, kind: 'drop', hang: true, ms: 2000 })
    await assert.rejects(
      axios.get(`${sim.url}${PATH}`, { params: { access_token: api.accessToken }, timeout: 200 }),
      (e: { code?: string }) => e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT',
    )
    assert.equal((await api.get(PATH)).errcode, 0)
  })

  test('faults can be managed over HTTP control routes', async () => {
    const added = await api.http.post('/_control/faults', [
      { path: PATH, kind: 'errcode', errcode: 45009, times: 5 },
    ])
    assert.equal(added.status, 200)
    assert.equal((await api.http.get('/_control/faults')).data[0].remaining, 5)
    assert.equal((await api.get(PATH)).errcode, 45009)
    assert.equal((await api.http.get('/_control/faults')).data[0].remaining, 4)
    const invalid = await api.http.post('/_control/faults', { path: PATH, kind: 'explode' })
    assert.equal(invalid.status, 400)
    await api.http.delete('/_control/faults')
    assert.equal((await api.get(PATH)).errcode, 0)
  })
})
