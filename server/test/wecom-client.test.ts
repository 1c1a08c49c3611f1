import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { CachedCredentialEntity } from '../src/db/credential.entity.ts'
import { WeComClient } from '../src/wecom/client.ts'
import { CredentialStore } from '../src/wecom/credential-store.ts'
import { WeComApiError, WeComUnavailableError } from '../src/wecom/errors.ts'
import { DATABASE_KINDS } from './helpers/databases.ts'
import { startWithSimulator, type SimulatedSetup } from './helpers/simulated-corp.ts'

for (const kind of DATABASE_KINDS) {
  describe(`WeCom API client against the simulator [${kind}]`, () => {
    let s: SimulatedSetup
    before(async () => {
      s = await startWithSimulator(kind)
    })
    after(() => s.close())
    const calls = (path: string) => s.sim.corp.calls.count(`/cgi-bin/${path}`)
    const followUsers = () =>
      s.t.app.wecom.get<{ follow_user: string[] }>('externalcontact/get_follow_user_list')

    test('fetches one token, caches it in the database and reuses it', async () => {
      const before = calls('gettoken')
      for (let i = 0; i < 5; i++) assert.ok((await followUsers()).follow_user.length > 0)
      assert.ok(calls('gettoken') - before <= 1)
      const row = await s.t.app.db.getRepository(CachedCredentialEntity).findOneByOrFail({})
      assert.ok(row.expiresAt.getTime() > Date.now() + 3600_000)
      // Another instance on the same database uses the stored token: no gettoken call.
      const other = new WeComClient({
        apiBase: s.sim.url,
        corpId: s.sim.corp.corpId,
        secret: s.t.config.wecom.secret,
        credentials: new CredentialStore(s.t.app.db),
        log: s.t.app.log,
      })
      const n = calls('gettoken')
      assert.equal(await other.accessToken(), row.value)
      assert.equal(calls('gettoken'), n)
    })

    test('an expired token (42001) is refreshed once and the call retried', async () => {
      await followUsers()
      s.sim.corp.faults.add({
        path: '/cgi-bin/externalcontact/get_follow_user_list',
        kind: 'errcode',
        errcode: 42001,
        times: 1,
      })
      const tokensBefore = calls('gettoken')
      assert.ok((await followUsers()).follow_user.length > 0)
      assert.equal(calls('gettoken'), tokensBefore + 1)
    })

    test('45009, 45033, 5xx and dropped connections are retried with backoff', async () => {
      const path = '/cgi-bin/externalcontact/get_follow_user_list'
      s.sim.corp.faults.add({ path, kind: 'errcode', errcode: 45009, times: 1 })
      s.sim.corp.faults.add({ path, kind: 'errcode', errcode: 45033, times: 1 })
      s.sim.corp.faults.add({ path, kind: 'http5xx', status: 502, times: 1 })
      s.sim.corp.faults.add({ path, kind: 'drop', times: 1 })
      const before = s.sim.corp.calls.count(path)
      assert.ok((await followUsers()).follow_user.length > 0)
      assert.equal(s.sim.corp.calls.count(path) - before, 5)
    })

    test('gives up after the last attempt with a typed error', async () => {
      const path = '/cgi-bin/externalcontact/get_follow_user_list'
      s.sim.corp.faults.add({ path, kind: 'http5xx', times: 10 })
      await assert.rejects(
        followUsers(),
        (e: unknown) => e instanceof WeComUnavailableError && /http 503/.test(e.reason),
      )
      s.sim.corp.faults.clear()
    })

    test('41051 (welcome already sent) and parameter errors are not retried', async () => {
      const path = '/cgi-bin/externalcontact/send_welcome_msg'
      s.sim.corp.faults.add({ path, kind: 'errcode', errcode: 41051, times: 1 })
      const before = s.sim.corp.calls.count(path)
      await assert.rejects(
        s.t.app.wecom.post('externalcontact/send_welcome_msg', {
          welcome_code: 'x',
          text: { content: 'hi' },
        }),
        (e: unknown) => e instanceof WeComApiError && e.errcode === 41051,
      )
      assert.equal(s.sim.corp.calls.count(path) - before, 1)
      const n = s.sim.corp.calls.count('/cgi-bin/externalcontact/get')
      await assert.rejects(
        s.t.app.wecom.get('externalcontact/get', { external_userid: 'wmdoesnotexist' }),
        (e: unknown) => e instanceof WeComApiError && e.errcode !== 0,
      )
      assert.equal(s.sim.corp.calls.count('/cgi-bin/externalcontact/get') - n, 1)
    })

    test('a wrong secret is a typed error with WeCom errcode, and no token is stored', async () => {
      const store = new CredentialStore(s.t.app.db)
      const bad = new WeComClient({
        apiBase: s.sim.url,
        corpId: s.sim.corp.corpId,
        secret: 'wrong',
        credentials: store,
        log: s.t.app.log,
      })
      await assert.rejects(
        bad.get('externalcontact/get_follow_user_list'),
        (e: unknown) => e instanceof WeComApiError && e.errcode === 40001,
      )
    })
  })
}
