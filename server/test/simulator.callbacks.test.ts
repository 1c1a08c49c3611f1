import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { parseStringPromise } from 'xml2js'
import {
  DEMO_IDS,
  simulatorClient,
  startCallbackReceiver,
  startSimulator,
  type CallbackReceiver,
  type RunningSimulator,
} from '../src/simulator/index.ts'

async function fields(xml: string): Promise<Record<string, string>> {
  const parsed = await parseStringPromise(xml, { explicitArray: false })
  return parsed.xml
}

describe('simulator: callback driver', () => {
  let sim: RunningSimulator
  let receiver: CallbackReceiver

  before(async () => {
    sim = await startSimulator({ corp: { callbackAckTimeoutMs: 300 } })
    receiver = await startCallbackReceiver(sim.corp.corpId)
    sim.corp.callback = receiver.target
  })
  beforeEach(() => {
    receiver.received.length = 0
    receiver.rejected.length = 0
  })
  after(async () => {
    await sim.close()
    await receiver.close()
  })

  test('add_external_contact is signed and encrypted for the corp, with WeCom fields', async () => {
    const r = await sim.driver.customerScansContactWay({ configId: DEMO_IDS.storeContactWay })
    assert.equal(r.delivery.delivered, true)
    assert.equal(r.delivery.attempts.length, 1)
    assert.equal(receiver.rejected.length, 0)
    assert.equal(receiver.received.length, 1)
    const got = receiver.received[0]
    assert.ok(got.signatureValid)
    assert.match(
      got.body,
      /^<xml><ToUserName><!\[CDATA\[wwd3m0c0rp5imu1a7e\]\]><\/ToUserName><AgentID>.*<Encrypt><!\[CDATA\[/,
    )
    assert.ok(got.xml.includes('<FromUserName><![CDATA[sys]]></FromUserName>'))
    assert.ok(got.xml.includes('<MsgType><![CDATA[event]]></MsgType>'))
    assert.match(got.xml, /<CreateTime>\d{10}<\/CreateTime>/)
    const f = await fields(got.xml)
    assert.equal(f.Event, 'change_external_contact')
    assert.equal(f.ChangeType, 'add_external_contact')
    assert.equal(f.UserID, 'lina')
    assert.equal(f.ExternalUserID, r.externalUserid)
    assert.equal(f.State, 'demo_store')
    assert.equal(f.WelcomeCode, r.welcomeCode)
  })

  test('the welcome code from the callback works against the API', async () => {
    await sim.driver.customerScansContactWay({ configId: DEMO_IDS.storeContactWay })
    const f = await fields(receiver.received[0].xml)
    const api = await simulatorClient(sim)
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/send_welcome_msg', {
          welcome_code: f.WelcomeCode,
          text: { content: '欢迎' },
        })
      ).errcode,
      0,
    )
  })

  test('half add on a verify-required way; delete, edit and transfer events carry their fields', async () => {
    const half = await sim.driver.customerScansContactWay({ configId: DEMO_IDS.liveContactWay, half: true })
    await sim.driver.editContact({
      externalUserid: half.externalUserid,
      userid: half.userid,
      remark: '直播客户',
    })
    await sim.driver.customerDeletesStaff({ externalUserid: half.externalUserid, userid: half.userid })
    const victim = sim.corp.customersOf('liuyang')[0].external_userid
    await sim.driver.staffDeletesCustomer({
      externalUserid: victim,
      userid: 'liuyang',
      source: 'DELETE_BY_TRANSFER',
    })

    const api = await simulatorClient(sim)
    const moving = sim.corp
      .customersOf('zhangwei')
      .filter((c) => c.follows.length === 1)
      .slice(0, 2)
      .map((c) => c.external_userid)
    const t = await api.post('/cgi-bin/externalcontact/transfer_customer', {
      handover_userid: 'zhangwei',
      takeover_userid: 'lina',
      external_userid: moving,
    })
    assert.deepEqual(
      t.customer.map((c: { errcode: number }) => c.errcode),
      [0, 0],
    )
    const again = await api.post('/cgi-bin/externalcontact/transfer_customer', {
      handover_userid: 'zhangwei',
      takeover_userid: 'lina',
      external_userid: moving.slice(0, 1),
    })
    assert.equal(again.customer[0].errcode, 40129, 'already in transfer')
    await sim.driver.transferFail({ externalUserid: moving[0], reason: 'customer_limit_exceed' })
    await sim.driver.transferSucceeds({ externalUserid: moving[1] })
    const result = await api.post('/cgi-bin/externalcontact/transfer_result', {
      handover_userid: 'zhangwei',
      takeover_userid: 'lina',
    })
    assert.deepEqual(
      result.customer.map((c: { status: number }) => c.status),
      [4, 1],
    )

    const all = await Promise.all(receiver.received.map((r) => fields(r.xml)))
    assert.deepEqual(
      all.map((f) => f.ChangeType),
      [
        'add_half_external_contact',
        'edit_external_contact',
        'del_follow_user',
        'del_external_contact',
        'transfer_fail',
        'del_external_contact',
      ],
    )
    assert.ok(all[0].WelcomeCode)
    assert.equal(all[3].Source, 'DELETE_BY_TRANSFER')
    assert.deepEqual(
      [all[4].FailReason, all[4].UserID, all[4].ExternalUserID],
      ['customer_limit_exceed', 'lina', moving[0]],
    )
    assert.deepEqual([all[5].UserID, all[5].Source], ['zhangwei', 'DELETE_BY_TRANSFER'])
  })

  test('tag events: create (tag and tag_group), update, delete, shuffle', async () => {
    const created = await sim.driver.tagCreated({ groupName: '渠道', name: '抖音' })
    const newGroup = await sim.driver.tagCreated({ groupName: '兴趣', name: '美白' })
    await sim.driver.tagUpdated({ id: created.tagId, name: '抖音直播' })
    await sim.driver.tagDeleted({ id: newGroup.groupId })
    await sim.driver.tagShuffled()
    const all = await Promise.all(receiver.received.map((r) => fields(r.xml)))
    assert.deepEqual(
      all.map((f) => [f.Event, f.ChangeType, f.TagType]),
      [
        ['change_external_tag', 'create', 'tag'],
        ['change_external_tag', 'create', 'tag_group'],
        ['change_external_tag', 'update', 'tag'],
        ['change_external_tag', 'delete', 'tag_group'],
        ['change_external_tag', 'shuffle', undefined],
      ],
    )
    assert.equal(all[0].Id, created.tagId)
    assert.equal(all[1].Id, newGroup.groupId)
    assert.equal(sim.corp.findTag(created.tagId)?.tag.name, '抖音直播')
  })

  test('a stalled receiver gets up to 3 retries with the identical payload', async () => {
    receiver.stall(2, 600)
    const r = await sim.driver.customerScansContactWay({ configId: DEMO_IDS.storeContactWay })
    assert.equal(r.delivery.delivered, true)
    assert.deepEqual(
      r.delivery.attempts.map((a) => a.error ?? a.status),
      ['timeout', 'timeout', 200],
    )
    // The stalled requests still complete on the receiver side later; wait for them.
    await new Promise((res) => setTimeout(res, 700))
    assert.equal(receiver.received.length, 3)
    const [a, b, c] = receiver.received
    assert.equal(a.body, b.body)
    assert.equal(b.body, c.body)
    assert.deepEqual(a.query, c.query)
  })

  test('gives up after 1 + 3 attempts when the product never answers in time', async () => {
    receiver.stall(10, 400)
    const r = await sim.driver.customerDeletesStaff({
      externalUserid: sim.corp.customersOf('wangfang')[0].external_userid,
      userid: 'wangfang',
    })
    assert.equal(r.delivery.delivered, false)
    assert.equal(r.delivery.attempts.length, 4)
    assert.ok(r.delivery.attempts.every((a) => a.error === 'timeout'))
    receiver.stall(0, 0)
    await new Promise((res) => setTimeout(res, 500))
  })

  test('deliver(xml) posts hand-made XML; burst runs scenarios concurrently', async () => {
    const raw = await sim.driver.deliver(
      '<xml><ToUserName><![CDATA[x]]></ToUserName><Event><![CDATA[custom]]></Event></xml>',
    )
    assert.equal(raw.delivered, true)
    assert.equal(
      receiver.received[0].xml,
      '<xml><ToUserName><![CDATA[x]]></ToUserName><Event><![CDATA[custom]]></Event></xml>',
    )
    const results = await sim.driver.burst(
      30,
      () => sim.driver.customerScansContactWay({ configId: DEMO_IDS.liveContactWay }),
      8,
    )
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 30)
    assert.equal(receiver.received.length, 31)
    const owners = new Set(results.map((r) => (r.status === 'fulfilled' ? r.value.userid : '')))
    assert.deepEqual(
      [...owners].sort(),
      ['liuyang', 'wangfang', 'zhangwei'],
      'a multi-user way spreads customers',
    )
  })

  test('scenarios run through the control route and show in the delivery log', async () => {
    const api = await simulatorClient(sim)
    const res = await api.http.post('/_control/scenarios/customerScansContactWay', {
      configId: DEMO_IDS.storeContactWay,
    })
    assert.equal(res.status, 200)
    assert.equal(res.data.delivery.delivered, true)
    const bad = await api.http.post('/_control/scenarios/customerScansContactWay', { configId: 'nope' })
    assert.deepEqual([bad.status, bad.data.code], [400, 'unknown_contact_way'])
    const log = (await api.http.get('/_control/deliveries')).data
    assert.equal(log.at(-1).changeType, 'add_external_contact')
    assert.equal(log.at(-1).delivered, true)
  })
})
