import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DEMO_IDS, simulatorClient, startSimulator, type RunningSimulator } from '../src/simulator/index.ts'

describe('simulator: welcome messages', () => {
  let sim: RunningSimulator
  let api: Awaited<ReturnType<typeof simulatorClient>>

  before(async () => {
    sim = await startSimulator({ corp: { welcomeCodeTtlMs: 250 } })
    api = await simulatorClient(sim)
  })
  after(() => sim.close())

  const send = (welcome_code: string, extra: Record<string, unknown> = {}) =>
    api.post('/cgi-bin/externalcontact/send_welcome_msg', {
      welcome_code,
      text: { content: '您好，我是您的专属顾问～' },
      ...extra,
    })

  test('welcome_code works once, then 41051; the sent message is recorded', async () => {
    const scan = await sim.driver.customerScansContactWay({ configId: DEMO_IDS.storeContactWay })
    assert.equal((await send(scan.welcomeCode)).errcode, 0)
    assert.equal((await send(scan.welcomeCode)).errcode, 41051)
    const sent = sim.corp.data.sentWelcomes.filter((w) => w.welcome_code === scan.welcomeCode)
    assert.equal(sent.length, 1)
    assert.equal(sent[0].external_userid, scan.externalUserid)
    assert.equal(sent[0].userid, 'lina')
    assert.equal(sent[0].text?.content, '您好，我是您的专属顾问～')
  })

  test('welcome_code expires after the configured window → 41050', async () => {
    const scan = await sim.driver.customerScansContactWay({ configId: DEMO_IDS.storeContactWay })
    await new Promise((r) => setTimeout(r, 300))
    assert.equal((await send(scan.welcomeCode)).errcode, 41050)
    assert.equal(
      sim.corp.data.sentWelcomes.some((w) => w.welcome_code === scan.welcomeCode),
      false,
    )
  })

  test('unknown code → 41050, missing code → 41049, content limits enforced before the code is spent', async () => {
    assert.equal((await send('nope')).errcode, 41050)
    assert.equal(
      (await api.post('/cgi-bin/externalcontact/send_welcome_msg', { text: { content: 'x' } })).errcode,
      41049,
    )
    const scan = await sim.driver.customerScansContactWay({ configId: DEMO_IDS.storeContactWay })
    assert.equal(
      (await send(scan.welcomeCode, { text: { content: '好'.repeat(1334) } })).errcode,
      45002,
      '4002 bytes > 4000',
    )
    const links = Array.from({ length: 10 }, () => ({
      msgtype: 'link',
      link: { title: 't', url: 'https://example.com' },
    }))
    assert.equal((await send(scan.welcomeCode, { attachments: links })).errcode, 40058)
    assert.equal(
      (await send(scan.welcomeCode, { attachments: [{ msgtype: 'image', image: { media_id: 'missing' } }] }))
        .errcode,
      40007,
    )
    assert.equal(
      (await send(scan.welcomeCode, { attachments: links.slice(0, 9) })).errcode,
      0,
      'the code is still valid after rejected calls',
    )
  })

  test('group welcome templates: add, get, edit, del', async () => {
    const added = await api.post('/cgi-bin/externalcontact/group_welcome_template/add', {
      text: { content: '欢迎入群！' },
      link: { title: '新人礼', url: 'https://example.com/gift' },
    })
    assert.equal(added.errcode, 0)
    const got = await api.post('/cgi-bin/externalcontact/group_welcome_template/get', {
      template_id: added.template_id,
    })
    assert.equal(got.text.content, '欢迎入群！')
    assert.equal(got.link.title, '新人礼')
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/group_welcome_template/edit', {
          template_id: added.template_id,
          text: { content: '新版' },
        })
      ).errcode,
      0,
    )
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/group_welcome_template/get', {
          template_id: added.template_id,
        })
      ).text.content,
      '新版',
    )
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/group_welcome_template/del', {
          template_id: added.template_id,
        })
      ).errcode,
      0,
    )
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/group_welcome_template/get', {
          template_id: added.template_id,
        })
      ).errcode,
      40058,
    )
  })

  test('mass send: create, staff confirms, results and the one-per-day customer cap', async () => {
    const targets = sim.corp
      .customersOf('wangfang')
      .slice(0, 3)
      .map((c) => c.external_userid)
    const first = await api.post('/cgi-bin/externalcontact/add_msg_template', {
      chat_type: 'single',
      external_userid: [...targets, 'wmghost'],
      sender: 'wangfang',
      text: { content: '618 会员专享' },
    })
    assert.equal(first.errcode, 0)
    assert.deepEqual(first.fail_list, ['wmghost'])
    const tasks = await api.post('/cgi-bin/externalcontact/get_groupmsg_task', { msgid: first.msgid })
    assert.deepEqual(tasks.task_list, [{ userid: 'wangfang', status: 0 }])
    sim.driver.staffConfirmsMassSend({ msgid: first.msgid, userid: 'wangfang' })
    const results = await api.post('/cgi-bin/externalcontact/get_groupmsg_send_result', {
      msgid: first.msgid,
      userid: 'wangfang',
    })
    assert.deepEqual(
      results.send_list.map((r: { status: number }) => r.status),
      [1, 1, 1],
    )

    const second = await api.post('/cgi-bin/externalcontact/add_msg_template', {
      external_userid: targets.slice(0, 1),
      sender: 'wangfang',
      text: { content: '再发一次' },
    })
    sim.driver.staffConfirmsMassSend({ msgid: second.msgid, userid: 'wangfang' })
    const capped = await api.post('/cgi-bin/externalcontact/get_groupmsg_send_result', {
      msgid: second.msgid,
      userid: 'wangfang',
    })
    assert.equal(capped.send_list[0].status, 3, 'customer already received a corp mass send today')

    const now = Math.floor(Date.now() / 1000)
    const list = await api.post('/cgi-bin/externalcontact/get_groupmsg_list_v2', {
      chat_type: 'single',
      start_time: now - 3600,
      end_time: now + 60,
    })
    assert.deepEqual(
      list.group_msg_list.map((m: { msgid: string }) => m.msgid),
      [first.msgid, second.msgid],
    )
    assert.equal(
      (
        await api.post('/cgi-bin/externalcontact/add_msg_template', {
          external_userid: ['wmghost'],
          text: { content: 'x' },
        })
      ).errcode,
      41048,
    )
  })
})
