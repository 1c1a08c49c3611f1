import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import axios from 'axios'
import { startSimulator, type RunningSimulator } from '../src/simulator/index.ts'

describe('simulator: access token', () => {
  let sim: RunningSimulator
  const http = axios.create({ validateStatus: () => true })
  const gettoken = (params: Record<string, string>) => http.get(`${sim.url}/cgi-bin/gettoken`, { params })
  const followUsers = (access_token?: string) =>
    http.get(`${sim.url}/cgi-bin/externalcontact/get_follow_user_list`, {
      params: access_token ? { access_token } : {},
    })

  before(async () => {
    sim = await startSimulator({ prefix: '/simulator', corp: { tokenTtlMs: 300 } })
  })
  after(() => sim.close())

  test('gettoken checks corpid and secret with WeCom errcodes, always HTTP 200', async () => {
    const badCorp = await gettoken({ corpid: 'wwnope', corpsecret: 'sim-contact-secret' })
    assert.equal(badCorp.status, 200)
    assert.equal(badCorp.data.errcode, 40013)
    assert.equal((await gettoken({ corpid: sim.corp.corpId, corpsecret: 'wrong' })).data.errcode, 40001)
    assert.equal((await gettoken({ corpsecret: 'sim-contact-secret' })).data.errcode, 41002)
  })

  test('a valid token works, is reused while valid, and expires with 42001', async () => {
    const first = (await gettoken({ corpid: sim.corp.corpId, corpsecret: 'sim-contact-secret' })).data
    assert.equal(first.errcode, 0)
    assert.equal(first.errmsg, 'ok')
    assert.equal(typeof first.access_token, 'string')
    assert.ok(first.expires_in >= 1)
    const again = (await gettoken({ corpid: sim.corp.corpId, corpsecret: 'sim-contact-secret' })).data
    assert.equal(again.access_token, first.access_token, 'WeCom returns the same token within its lifetime')

    const ok = (await followUsers(first.access_token)).data
    assert.equal(ok.errcode, 0)
    assert.deepEqual(ok.follow_user, ['lina', 'wangfang', 'zhangwei', 'liuyang'])

    await new Promise((r) => setTimeout(r, 350))
    assert.equal((await followUsers(first.access_token)).data.errcode, 42001)
    const renewed = (await gettoken({ corpid: sim.corp.corpId, corpsecret: 'sim-contact-secret' })).data
    assert.notEqual(renewed.access_token, first.access_token)
    assert.equal((await followUsers(renewed.access_token)).data.errcode, 0)
  })

  test('missing token → 41001, unknown token → 40014', async () => {
    assert.equal((await followUsers()).data.errcode, 41001)
    assert.equal((await followUsers('not-a-token')).data.errcode, 40014)
  })

  test('an unknown API path answers a clear errcode and is logged', async () => {
    const res = await http.post(`${sim.url}/cgi-bin/externalcontact/no_such_api`, {})
    assert.equal(res.status, 200)
    assert.equal(res.data.errcode, 404)
    assert.match(res.data.errmsg, /no API at POST \/cgi-bin\/externalcontact\/no_such_api/)
    assert.equal(sim.corp.calls.list({ path: '/cgi-bin/externalcontact/no_such_api' }).length, 1)
  })

  test('the call log records path, query without access_token, body and errcode', async () => {
    const token = (await gettoken({ corpid: sim.corp.corpId, corpsecret: 'sim-app-secret' })).data
      .access_token
    const since = sim.corp.calls.lastSeq
    await http.get(`${sim.url}/cgi-bin/externalcontact/list`, {
      params: { access_token: token, userid: 'lina' },
    })
    await http.post(
      `${sim.url}/cgi-bin/externalcontact/remark`,
      { userid: 'lina', external_userid: 'wmnobody', remark: 'x' },
      { params: { access_token: token } },
    )
    const calls = sim.corp.calls.list({ path: '/cgi-bin/externalcontact/*', since })
    assert.deepEqual(
      calls.map((c) => [c.path, c.errcode]),
      [
        ['/cgi-bin/externalcontact/list', 0],
        ['/cgi-bin/externalcontact/remark', 40096],
      ],
    )
    assert.deepEqual(calls[0].query, { userid: 'lina' })
    assert.deepEqual(calls[1].body, { userid: 'lina', external_userid: 'wmnobody', remark: 'x' })
    const viaHttp = (
      await http.get(`${sim.url}/_control/calls`, { params: { path: '/cgi-bin/externalcontact/remark' } })
    ).data
    assert.equal(viaHttp.at(-1).errcode, 40096)
  })
})
