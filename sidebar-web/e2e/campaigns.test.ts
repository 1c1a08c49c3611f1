// 社群活动 in Chromium against the real server and the simulated corp: an admin creates a group campaign
// in the console (desktop), sends its launch now and reads the send log; the group's owner then sees it
// in the sidebar's group view (375 px) with a live countdown and puts a campaign message into the chat.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import {
  bridgeCalls,
  launchBrowser,
  openAdminPage,
  openSidebarInChat,
  screenshot,
  startSyncedServer,
  type E2EServer,
} from './helpers.ts'

describe('group campaigns: admin page and the sidebar group view', () => {
  let server: E2EServer
  let browser: Browser
  let chatId: string
  const pageErrors: string[] = []

  before(async () => {
    server = await startSyncedServer()
    browser = await launchBrowser()
    chatId = [...server.sim.corp.data.groups.values()].find((g) => g.owner === 'lina')!.chat_id
  })

  after(async () => {
    await browser?.close()
    await server?.close()
  })

  test('admin creates a campaign for 李娜’s groups, sends the launch now and sees the send log', async () => {
    const page: Page = await openAdminPage(browser, server.baseUrl, '/admin/campaigns', {
      errors: pageErrors,
    })
    await page.getByTestId('campaigns-page').waitFor()
    assert.ok(
      await page
        .getByTestId('side-menu')
        .getByRole('menuitem', { name: '社群活动', exact: true })
        .isVisible(),
    )

    await page.getByTestId('campaign-new').click()
    const form = page.getByTestId('campaign-form')
    await form.waitFor()
    await page.getByTestId('campaign-name').fill('双12修护精华团购')
    await page.getByTestId('campaign-owners').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '李娜' }).click()
    await page.getByTestId('campaign-name').click() // close the dropdown
    assert.equal(
      await page.getByTestId('campaign-countdown').count(),
      3,
      'default countdowns 3 h, 1 h, 15 min',
    )
    await page.waitForTimeout(300)
    await screenshot(page, 'campaigns-admin-form')
    await page.getByTestId('campaign-save').click()

    const table = page.getByTestId('campaigns-table')
    await table.getByText('双12修护精华团购').waitFor()
    const [saved] = await server.app.campaigns.list()
    assert.equal(saved.name, '双12修护精华团购')
    assert.deepEqual(saved.ownerUserIds, ['lina'])
    // Tomorrow 12:00–20:00 Shanghai by default: in preparation, three countdowns after the launch.
    assert.equal(saved.stage, 'preparation')
    assert.match(await table.getByTestId('campaign-stage').first().innerText(), /预热中/)
    assert.match(await table.getByTestId('campaign-countdown-cell').first().innerText(), /距开始/)

    await table.getByText('双12修护精华团购').click()
    const detail = page.getByTestId('campaign-detail')
    await detail.waitFor()
    const before = server.sim.corp.calls.count('/cgi-bin/externalcontact/add_msg_template')
    await page.getByTestId('campaign-send-now').click()
    await page.getByTestId('campaign-sends').getByText('已创建群发').waitFor()
    const calls = server.sim.corp.calls.list({ path: '/cgi-bin/externalcontact/add_msg_template' })
    assert.equal(calls.length, before + 1)
    const body = calls.at(-1)!.body as { sender: string; chat_type: string; chat_id_list: string[] }
    assert.equal(body.sender, 'lina')
    assert.equal(body.chat_type, 'group')
    assert.deepEqual(body.chat_id_list, [chatId])

    // The owner confirms in WeCom; syncing shows the group as delivered.
    const msgid = [...server.sim.corp.data.massSends.values()].at(-1)!.msgid
    server.sim.driver.staffConfirmsMassSend({ msgid, userid: 'lina' })
    await page.getByTestId('campaign-sync').click()
    await page.getByTestId('campaign-deliveries').getByText('已送达').waitFor()
    await page.locator('.el-message').evaluateAll((els) => els.forEach((e) => e.remove()))
    await page.waitForTimeout(400)
    await screenshot(page, 'campaigns-admin-detail')
    await page.keyboard.press('Escape')
    await page.waitForTimeout(400)
    await screenshot(page, 'campaigns-admin-list')
    assert.deepEqual(pageErrors, [])
  })

  test('the group sidebar lists the running campaign first, with countdowns, and sends into the chat', async () => {
    // A second campaign for the same group, running now and in its last hour.
    const now = Date.now()
    await server.app.campaigns.save({
      name: '周末闪购',
      description: '4 件 399，限量 2,000 件',
      startsAt: new Date(now - 2 * 3600_000).toISOString(),
      endsAt: new Date(now + 50 * 60_000).toISOString(),
      chatIds: [chatId],
      ownerUserIds: [],
      launch: { text: '【{name}】开抢！' },
      countdowns: [{ offsetMinutes: 15, text: '最后{left}！' }],
    })
    // The minute job sends its launch (due two hours ago).
    assert.equal((await server.app.campaignSender.runDue()).sent, 1)
    const { context: ctx, page } = await openSidebarInChat(
      browser,
      server.baseUrl,
      { entry: 'group_chat_tools', chatId },
      { errors: pageErrors },
    )
    await page.getByTestId('group-panel').waitFor()
    await page.getByTestId('group-campaign').nth(1).waitFor()
    const names = await page.getByTestId('group-campaign-name').allInnerTexts()
    assert.deepEqual(names, ['周末闪购', '双12修护精华团购'], 'running first, then upcoming')

    const running = page.getByTestId('group-campaign').first()
    assert.match(await running.getByTestId('group-campaign-stage').innerText(), /进行中/)
    const clock1 = await running.getByTestId('group-campaign-clock').innerText()
    assert.match(clock1, /^距结束 (49|50)分\d\d秒$/)
    await page.waitForTimeout(1100)
    assert.notEqual(
      await running.getByTestId('group-campaign-clock').innerText(),
      clock1,
      'the countdown ticks',
    )
    assert.match(await running.getByTestId('group-campaign-next').innerText(), /结束前 15 分钟/)

    const upcoming = page.getByTestId('group-campaign').nth(1)
    assert.match(await upcoming.getByTestId('group-campaign-stage').innerText(), /预热中/)
    assert.match(await upcoming.getByTestId('group-campaign-clock').innerText(), /^距开始 /)
    assert.match(await upcoming.getByTestId('group-campaign-next').innerText(), /结束前 3 小时/)
    // The members card still renders below.
    await page.getByTestId('group-member').first().waitFor()
    await page.waitForTimeout(300)
    await screenshot(page, 'campaigns-sidebar-group')

    // The running campaign's messages are open: put its countdown into the chat ({left} is the time left now).
    const countdown = running.getByTestId('group-campaign-message').nth(1)
    await countdown.getByTestId('group-campaign-send').click()
    await page.locator('.van-toast', { hasText: '已放入输入框' }).waitFor()
    const sent = (await bridgeCalls(page)).filter((c) => c.name === 'sendChatMessage').at(-1)
    assert.equal(sent?.params.msgtype, 'text')
    assert.match((sent?.params.text as { content: string }).content, /^最后(49|50)分钟！$/)
    assert.deepEqual(pageErrors, [])
    await ctx.close()
  })

  test('a WeCom error on a send shows on the list and in the detail', async () => {
    const now = Date.now()
    const saved = await server.app.campaigns.save({
      name: '会员日团购',
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 6 * 3600_000).toISOString(),
      chatIds: [],
      ownerUserIds: ['zhangwei'],
      launch: { text: '会员日开团！' },
      countdowns: [],
    })
    server.sim.corp.faults.add({
      path: '/cgi-bin/externalcontact/add_msg_template',
      kind: 'errcode',
      errcode: 60011,
      errmsg: 'no privilege to access/modify contact/party/agent',
    })
    await server.app.campaignSender.runDue(new Date(), { campaignId: saved.id })
    const page: Page = await openAdminPage(browser, server.baseUrl, '/admin/campaigns')
    const row = page.getByTestId('campaigns-table').locator('tr', { hasText: '会员日团购' })
    await row.getByTestId('campaign-error-tag').waitFor()
    assert.match(await row.getByTestId('campaign-stage').innerText(), /进行中/)
    await row.getByText('会员日团购').click()
    await page.getByTestId('campaign-last-error').waitFor()
    assert.match(await page.getByTestId('campaign-last-error').innerText(), /60011/)
    assert.match(await page.getByTestId('campaign-sends').innerText(), /等待重试[\s\S]*60011 no privilege/)
    await page.waitForTimeout(400)
    await screenshot(page, 'campaigns-admin-error')
  })
})
