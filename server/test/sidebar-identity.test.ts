import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { CachedCredentialEntity } from '../src/db/credential.entity.ts'
import { jsApiSignature } from '../src/wecom/crypto.ts'
import { DATABASE_KINDS } from './helpers/databases.ts'
import { startWithSimulator, type SimulatedSetup } from './helpers/simulated-corp.ts'
import { cookieOf } from './helpers/sidebar-session.ts'
import { JSAPI_VECTOR } from './helpers/vectors.ts'

for (const kind of DATABASE_KINDS) {
  describe(`sidebar identity and JS-SDK signatures [${kind}]`, () => {
    let s: SimulatedSetup
    let base: string
    before(async () => {
      s = await startWithSimulator(kind)
      base = s.base
    })
    after(() => s.close())

    test('config names the corp and the app', async () => {
      const res = await fetch(`${base}/api/sidebar/jssdk/config`)
      assert.deepEqual(await res.json(), { corpId: s.sim.corp.corpId, agentId: '1000002' })
    })

    test('signatures use the cached ticket, sign the URL without its fragment, and match the official vector', async () => {
      // Seed the corp ticket with the official vector's ticket: the route must sign with it.
      await s.t.app.db.getRepository(CachedCredentialEntity).upsert(
        {
          key: s.t.app.jsSdk.ticketKey('config'),
          value: JSAPI_VECTOR.ticket,
          expiresAt: new Date(Date.now() + 3600_000),
        },
        ['key'],
      )
      const url = `${JSAPI_VECTOR.url}#/customer`
      const res = await fetch(
        `${base}/api/sidebar/jssdk/signature?type=config&url=${encodeURIComponent(url)}`,
      )
      const sig = (await res.json()) as { timestamp: number; nonceStr: string; signature: string }
      assert.equal(
        sig.signature,
        jsApiSignature(JSAPI_VECTOR.ticket, JSAPI_VECTOR.url, sig.nonceStr, sig.timestamp).signature,
      )
      // With the vector's own nonce and timestamp the same formula gives the documented signature.
      assert.equal(
        jsApiSignature(JSAPI_VECTOR.ticket, JSAPI_VECTOR.url, JSAPI_VECTOR.nonceStr, JSAPI_VECTOR.timestamp)
          .signature,
        JSAPI_VECTOR.signature,
      )
    })

    test('the agent ticket is fetched from WeCom once and then served from the cache', async () => {
      const calls = () => s.sim.corp.calls.count('/cgi-bin/ticket/get')
      const before = calls()
      for (let i = 0; i < 3; i++) {
        const res = await fetch(
          `${base}/api/sidebar/jssdk/signature?type=agent&url=${encodeURIComponent(`${base}/sidebar/`)}`,
        )
        assert.equal(res.status, 200)
      }
      assert.equal(calls() - before, 1)
    })

    test('a signature request without a proper URL is a 400', async () => {
      const res = await fetch(`${base}/api/sidebar/jssdk/signature?type=agent&url=javascript:alert(1)`)
      assert.equal(res.status, 400)
      assert.equal(((await res.json()) as { code: string }).code, 'validation_error')
    })

    test('OAuth: start → WeCom authorize → callback gives an advisor session; codes are single-use', async () => {
      const start = await fetch(
        `${base}/api/sidebar/auth/start?returnTo=${encodeURIComponent('/sidebar/?entry=single')}`,
        { redirect: 'manual' },
      )
      assert.equal(start.status, 302)
      const authorize = new URL(start.headers.get('location')!)
      assert.equal(authorize.searchParams.get('appid'), s.sim.corp.corpId)
      assert.equal(authorize.searchParams.get('scope'), 'snsapi_base')
      const stateCookie = cookieOf(start)
      // The simulator plays WeCom's authorize page; ?userid picks the advisor as a tap would.
      authorize.searchParams.set('userid', 'lina')
      const wecom = await fetch(authorize, { redirect: 'manual' })
      const callback = wecom.headers.get('location')!
      assert.match(callback, /\/api\/sidebar\/auth\/callback\?/)
      const done = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } })
      assert.equal(done.status, 302)
      assert.equal(done.headers.get('location'), '/sidebar/?entry=single')
      const session = cookieOf(done)
      const me = await fetch(`${base}/api/sidebar/me`, { headers: { cookie: session } })
      assert.deepEqual(await me.json(), { userId: 'lina', name: '李娜' })
      const replay = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } })
      assert.equal(replay.status, 400)
      assert.equal(((await replay.json()) as { code: string }).code, 'oauth_code_invalid')
    })

    test('a forged state, a foreign return address and a missing session are refused', async () => {
      const bad = await fetch(`${base}/api/sidebar/auth/callback?code=x&state=forged`, { redirect: 'manual' })
      assert.equal(bad.status, 400)
      assert.equal(((await bad.json()) as { code: string }).code, 'oauth_state_mismatch')
      const start = await fetch(
        `${base}/api/sidebar/auth/start?returnTo=${encodeURIComponent('https://evil.example/')}`,
        { redirect: 'manual' },
      )
      const authorize = new URL(start.headers.get('location')!)
      authorize.searchParams.set('userid', 'wangfang')
      const wecom = await fetch(authorize, { redirect: 'manual' })
      const done = await fetch(wecom.headers.get('location')!, {
        redirect: 'manual',
        headers: { cookie: cookieOf(start) },
      })
      assert.equal(done.headers.get('location'), '/sidebar/')
      const anon = await fetch(`${base}/api/sidebar/me`)
      assert.equal(anon.status, 401)
    })
  })
}
