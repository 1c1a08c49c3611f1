import assert from 'node:assert/strict'
import { test } from 'node:test'
import { InboxEntity } from '../src/modules/inbox/inbox.entity.ts'
import { CallbackRejected, openCallback } from '../src/wecom/callback.ts'
import { sealCallback } from '../src/wecom/crypto.ts'
import { createTestApp } from './helpers/app.ts'
import { createTestDatabase } from './helpers/databases.ts'
import { addContactXml, eventXml } from './helpers/events.ts'
import { describeOnDatabases, type SuiteContext } from './helpers/suite.ts'
import { SET_A, SET_B } from './helpers/vectors.ts'

const setAEnv = {
  WECOM_CORP_ID: SET_A.receiveId,
  WECOM_CALLBACK_TOKEN: SET_A.token,
  WECOM_CALLBACK_AES_KEY: SET_A.encodingAesKey,
}
const cfgA = { token: SET_A.token, encodingAesKey: SET_A.encodingAesKey, receiveId: SET_A.receiveId }
const qs = (q: Record<string, string>) => new URLSearchParams(q).toString()
const envelope = (encrypt: string) =>
  `<xml><ToUserName><![CDATA[${SET_A.receiveId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`

// The official vectors are from 2016, so these suites accept any timestamp (skew check off).
describeOnDatabases(
  'callback receiver',
  (ctx) => {
    const count = () => ctx().t.app.db.getRepository(InboxEntity).count()
    const post = (query: Record<string, string>, body: string, contentType = 'text/xml') =>
      ctx().t.app.inject({
        method: 'POST',
        url: `/wecom/callback?${qs(query)}`,
        payload: body,
        headers: { 'content-type': contentType },
      })

    test('official set A: URL verification answers the plaintext echostr (URL-encoded query)', async () => {
      const { get } = SET_A
      const res = await ctx().t.app.inject({
        method: 'GET',
        url: `/wecom/callback?${qs({ msg_signature: get.msg_signature, timestamp: get.timestamp, nonce: get.nonce, echostr: get.echostr })}`,
      })
      assert.equal(res.statusCode, 200)
      assert.equal(res.body, get.plaintext)
    })

    test('official set A: the event is stored once and acknowledged; the identical retry is dropped', async () => {
      const { post: p } = SET_A
      const q = { msg_signature: p.msg_signature, timestamp: p.timestamp, nonce: p.nonce }
      const before = await count()
      const first = await post(q, envelope(p.encrypt))
      assert.equal(first.statusCode, 200)
      assert.equal(first.body, 'success')
      const retry = await post(q, envelope(p.encrypt))
      assert.equal(retry.statusCode, 200)
      assert.equal(await count(), before + 1)
      const row = await ctx().t.app.db.getRepository(InboxEntity).findOneByOrFail({ payload: p.plaintext })
      // A text message is not an event the product handles: kept for the record, marked ignored.
      assert.equal(row.status, 'ignored')
    })

    test('a known event is stored pending with its type and entity key', async () => {
      const xml = addContactXml({ ExternalUserID: 'wmKNOWN1' })
      const sealed = sealCallback(cfgA, xml)
      const res = await post(sealed.query, sealed.body)
      assert.equal(res.statusCode, 200)
      const row = await ctx()
        .t.app.db.getRepository(InboxEntity)
        .findOneByOrFail({ entityKey: 'contact:wmKNOWN1' })
      assert.equal(row.event, 'change_external_contact')
      assert.equal(row.changeType, 'add_external_contact')
      assert.equal(row.status, 'pending')
      assert.equal(row.payload, xml)
    })

    test('an unknown event is stored and marked ignored', async () => {
      const sealed = sealCallback(
        cfgA,
        eventXml({ Event: 'change_school_contact', ChangeType: 'whatever' }, SET_A.receiveId),
      )
      assert.equal((await post(sealed.query, sealed.body)).statusCode, 200)
      const row = await ctx()
        .t.app.db.getRepository(InboxEntity)
        .findOneByOrFail({ event: 'change_school_contact' })
      assert.equal(row.status, 'ignored')
    })

    test('forged and malformed callbacks get a 4xx and store nothing', async () => {
      const good = sealCallback(cfgA, addContactXml())
      const before = await count()
      const otherCorp = sealCallback({ ...cfgA, receiveId: 'wwattacker' }, addContactXml())
      const doctypeInside = sealCallback(
        cfgA,
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Event>&e;</Event></xml>',
      )
      const notXmlInside = sealCallback(cfgA, 'this is not xml <<<')
      const truncated = good.body.replace(/<Encrypt><!\[CDATA\[(.{16})/, '<Encrypt><![CDATA[')
      const cases: Array<[string, Record<string, string>, string, number, string]> = [
        [
          'wrong signature',
          { ...good.query, msg_signature: 'a'.repeat(40) },
          good.body,
          400,
          'callback_bad_signature',
        ],
        [
          'missing nonce',
          { msg_signature: good.query.msg_signature, timestamp: good.query.timestamp },
          good.body,
          400,
          'callback_missing_params',
        ],
        [
          'non-numeric timestamp',
          { ...good.query, timestamp: 'yesterday' },
          good.body,
          400,
          'callback_bad_timestamp',
        ],
        ['wrong receive id', otherCorp.query, otherCorp.body, 400, 'callback_bad_receive_id'],
        ['malformed envelope', good.query, '<xml><Encrypt>', 400, 'callback_xml_malformed'],
        [
          'no Encrypt element',
          good.query,
          '<xml><ToUserName>x</ToUserName></xml>',
          400,
          'callback_missing_encrypt',
        ],
        [
          'DOCTYPE in the envelope',
          good.query,
          `<!DOCTYPE xml [<!ENTITY a "b">]>${good.body}`,
          400,
          'callback_xml_forbidden',
        ],
        [
          'DOCTYPE in the decrypted payload',
          doctypeInside.query,
          doctypeInside.body,
          400,
          'callback_xml_forbidden',
        ],
        ['payload that is not XML', notXmlInside.query, notXmlInside.body, 400, 'callback_xml_malformed'],
        ['ciphertext cut short', good.query, truncated, 400, 'callback_bad_signature'],
      ]
      for (const [name, q, body, status, code] of cases) {
        const res = await post(q, body)
        assert.equal(res.statusCode, status, name)
        assert.equal(res.json().code, code, name)
      }
      const huge = await post(good.query, `<xml><Encrypt>${'A'.repeat(70 * 1024)}</Encrypt></xml>`)
      assert.equal(huge.statusCode, 413)
      assert.equal(await count(), before)
    })

    test('a re-signed ciphertext with broken padding is refused', async () => {
      // Flip a byte in the last block: CBC garbles the padding; the attacker would still need the token.
      const good = sealCallback(cfgA, addContactXml())
      const enc = /<Encrypt><!\[CDATA\[(.*?)\]\]>/.exec(good.body)![1]
      const raw = Buffer.from(enc, 'base64')
      raw[raw.length - 20] ^= 0xff
      const tampered = raw.toString('base64')
      const { signCallback } = await import('../src/wecom/crypto.ts')
      const q = {
        ...good.query,
        msg_signature: signCallback(SET_A.token, good.query.timestamp, good.query.nonce, tampered),
      }
      const before = await count()
      const res = await post(q, envelope(tampered))
      assert.equal(res.statusCode, 400)
      assert.match(
        res.json().code,
        /callback_bad_(padding|receive_id|ciphertext|length)|callback_xml_malformed/,
      )
      assert.equal(await count(), before)
    })
  },
  { env: () => setAEnv, build: { callbackMaxSkewSec: 0 } },
)

test('official set B (Go sample): URL verification through the route', async () => {
  const db = await createTestDatabase('sqlite')
  const t = await createTestApp(
    db.url,
    {
      WECOM_CORP_ID: SET_B.receiveId,
      WECOM_CALLBACK_TOKEN: SET_B.token,
      WECOM_CALLBACK_AES_KEY: SET_B.encodingAesKey,
    },
    { callbackMaxSkewSec: 0 },
  )
  try {
    const { get } = SET_B
    const res = await t.app.inject({
      method: 'GET',
      url: `/wecom/callback?${qs({ msg_signature: get.msg_signature, timestamp: get.timestamp, nonce: get.nonce, echostr: get.echostr })}`,
    })
    assert.equal(res.statusCode, 200)
    assert.equal(res.body, get.plaintext)
  } finally {
    await t.close()
    await db.drop()
  }
})

test('a stale timestamp is refused when the skew check is on', async () => {
  const sealed = sealCallback(cfgA, addContactXml(), {
    timestamp: String(Math.floor(Date.now() / 1000) - 7200),
  })
  await assert.rejects(
    openCallback(cfgA, sealed.query, sealed.body, { maxSkewSec: 3600 }),
    (e: unknown) => e instanceof CallbackRejected && e.code === 'stale_timestamp',
  )
  const fresh = sealCallback(cfgA, addContactXml())
  const opened = await openCallback(cfgA, fresh.query, fresh.body, { maxSkewSec: 3600 })
  assert.equal(opened.event.ChangeType, 'add_external_contact')
})

test('MemChangeList items are parsed into a list', async () => {
  const xml = eventXml(
    {
      Event: 'change_external_chat',
      ChangeType: 'update',
      ChatId: 'wrX',
      UpdateDetail: 'add_member',
      JoinScene: 3,
      MemChangeCnt: 2,
      MemChangeList: ['wmA', 'wmB'],
    },
    SET_A.receiveId,
  )
  const sealed = sealCallback(cfgA, xml)
  const { event } = await openCallback(cfgA, sealed.query, sealed.body, { maxSkewSec: 0 })
  assert.deepEqual(event.MemChangeList, ['wmA', 'wmB'])
  assert.equal(event.JoinScene, '3')
})

export type { SuiteContext }
