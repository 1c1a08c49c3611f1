// 提醒与SOP in Chromium against the real server and the simulated corp: the admin page (settings, an SOP
// rule built through the form, tasks and completion rates) and the sidebar's tasks section (a run-out
// reminder with its script sent into the chat, done, the run-out date and the customer's own cycle).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { seedDemoContent } from '../../server/src/modules/products/demo-content.ts'
import { ProductEntity } from '../../server/src/modules/products/product.entity.ts'
import { FollowupTaskEntity } from '../../server/src/modules/reminders/reminder.entity.ts'
import { DAY_MS } from '../../server/src/modules/reminders/runout.ts'
import { sqlTime } from '../../server/src/modules/reminders/sql.ts'
import {
  bridgeCalls,
  launchBrowser,
  openAdminPage,
  openSidebarInChat,
  screenshot,
  startSyncedServer,
  type E2EServer,
} from './helpers.ts'

describe('提醒与SOP: admin page and the sidebar tasks section', () => {
  let server: E2EServer
  let browser: Browser
  let customerId: string
  const pageErrors: string[] = []

  before(async () => {
    server = await startSyncedServer()
    await seedDemoContent(server.app)
    browser = await launchBrowser()
    customerId = [...server.sim.corp.data.customers.values()].find(
      (c) => c.follows.length === 1 && c.follows[0].userid === 'lina',
    )!.external_userid
    // Bought the serum (45-day cycle) 43 days ago and the cream 10 days ago: the serum runs out in 2 days.
    const db = server.app.db
    const products = await db.getRepository(ProductEntity).find()
    const serum = products.find((p) => p.name.startsWith('修护精华液'))!
    const cream = products.find((p) => p.name.startsWith('保湿面霜'))!
    const now = Date.now()
    let n = 0
    for (const [productId, daysAgo] of [
      [serum.id, 43],
      [cream.id, 10],
    ]) {
      const t = (ms: number) => sqlTime(db, new Date(ms))
      await db.query(
        `INSERT INTO shop_order (source_id, order_no, external_user_id, user_id, bound_by, bound_at, buyer_name,
           total_cents, discount_cents, coupon_used, status, ordered_at, created_at)
         VALUES (1, ?, ?, 'lina', 'advisor', ?, '', 29900, 0, ?, 'paid', ?, ?)`,
        [`E2E${++n}`, customerId, t(now), false, t(now - daysAgo * DAY_MS), t(now)],
      )
      const [{ id }] = await db.query('SELECT id FROM shop_order WHERE order_no = ?', [`E2E${n}`])
      await db.query(
        `INSERT INTO shop_order_item (order_id, product_id, sku, product_name, quantity, amount_cents)
         VALUES (?, ?, '', 'x', 1, 29900)`,
        [id, productId],
      )
    }
    await server.app.reminders.scan()
  })

  after(async () => {
    await browser?.close()
    await server?.close()
  })

  test('admin: settings, a rule built through the form, tasks and completion rates', async () => {
    const page: Page = await openAdminPage(browser, server.baseUrl, '/admin/reminders', {
      errors: pageErrors,
    })
    await page.getByTestId('reminders-page').waitFor()

    // Quiet period → saved.
    await page.getByTestId('quiet-days').locator('input').fill('10')
    await page.getByTestId('settings-save').click()
    await page.getByText('提醒设置已保存').waitFor()
    assert.equal(
      (
        await server.app.inject({
          method: 'GET',
          url: '/api/admin/reminders/settings',
          headers: { cookie: await adminCookieOf(page) },
        })
      ).json().quietDays,
      10,
    )

    // Rule: 3 days after add, no order yet, with a script.
    await page.getByTestId('rule-new').click()
    await page.getByTestId('rule-form').waitFor()
    await page.getByTestId('rule-name').fill('新客3天未下单')
    await page.getByTestId('rule-days').locator('input').fill('3')
    await page.getByTestId('rule-script').click()
    await page.locator('.el-select-dropdown__item', { hasText: '新客欢迎' }).click()
    await page.waitForTimeout(300)
    await screenshot(page, 'reminders-admin-rule-form-1440')
    await page.getByTestId('rule-save').click()
    await page.getByTestId('rules-table').getByText('新客3天未下单').waitFor()
    await page.getByTestId('scan-now').click()
    await page.getByText(/已扫描：/).waitFor()
    const rules = await server.app.reminders.sop.list()
    assert.equal(rules[0].params.days, 3)
    assert.equal(rules[0].params.noOrder, true)
    const sopTasks = await server.app.db.getRepository(FollowupTaskEntity).countBy({ ruleId: rules[0].id })
    assert.ok(sopTasks > 0, 'the scan created SOP tasks')
    await page.waitForLoadState('networkidle')
    // Let the toasts fade so the screenshot shows the page.
    await page.locator('.el-message').first().waitFor({ state: 'detached', timeout: 10_000 })
    await screenshot(page, 'reminders-admin-rules-1440')

    await page.getByRole('tab', { name: '跟进任务' }).click()
    await page.getByTestId('tasks-table').getByText('修护精华液 30ml 快用完了').waitFor()
    await page.waitForTimeout(300)
    await screenshot(page, 'reminders-admin-tasks-1440')
    await page.getByRole('tab', { name: '完成率' }).click()
    await page.getByTestId('stats-byAdvisor').getByText('李娜').waitFor()
    await page.waitForTimeout(300)
    await screenshot(page, 'reminders-admin-stats-1440')

    await page.setViewportSize({ width: 375, height: 812 })
    await page.getByRole('tab', { name: 'SOP 规则' }).click()
    await page.waitForTimeout(400)
    await screenshot(page, 'reminders-admin-rules-375')
    assert.deepEqual(pageErrors, [])
  })

  test('sidebar: the reminder with its script, sent into the chat and done; run-out dates and the cycle editor', async () => {
    const { context: ctx, page } = await openSidebarInChat(
      browser,
      server.baseUrl,
      { entry: 'single_chat_tools', externalUserId: customerId },
      { errors: pageErrors },
    )
    await page.getByTestId('tasks-section').waitFor()
    const task = page.getByTestId('task-item').filter({ hasText: '修护精华液 30ml 快用完了' })
    await task.waitFor()
    assert.equal(await page.getByTestId('runout-item').count(), 2)
    await page.getByTestId('tasks-section').scrollIntoViewIfNeeded()
    await screenshot(page, 'reminders-sidebar-tasks-375')

    // Tap the script: it goes into the chat input through sendChatMessage.
    const row = await server.app.db
      .getRepository(FollowupTaskEntity)
      .findOneByOrFail({ externalUserId: customerId, kind: 'runout' })
    const script = await server.app.scripts.get(row.scriptId!)
    await task.getByTestId('task-send').click()
    await page.locator('.van-toast', { hasText: '已放入输入框' }).waitFor()
    const sent = (await bridgeCalls(page)).filter((c) => c.name === 'sendChatMessage').at(-1)
    assert.deepEqual(sent?.params.text, { content: script.content })

    await task.getByTestId('task-done').click()
    await task.waitFor({ state: 'detached' })
    const handled = await server.app.db.getRepository(FollowupTaskEntity).findOneByOrFail({ id: row.id })
    assert.equal(handled.status, 'done')
    assert.ok(handled.handledAt)

    // The advisor says this customer makes the serum last 60 days.
    const serum = page.getByTestId('runout-item').filter({ hasText: '修护精华液' })
    await serum.getByTestId('cycle-edit').click()
    await serum.getByTestId('cycle-input').fill('60')
    await serum.getByTestId('cycle-save').click()
    await serum.getByText('该客户专属').waitFor()
    const preds = await server.app.reminders.predictions.forCustomer(customerId)
    const p = preds.find((x) => x.productName.startsWith('修护精华液'))!
    assert.equal(p.cycleDays, 60)
    assert.equal(p.customCycle, true)

    // Birthday and member-benefit expiry.
    await page.getByTestId('dates-edit').click()
    await page.getByTestId('birthday-input').locator('input').fill('03-18')
    await page.getByTestId('dates-save').click()
    await page.getByTestId('dates-view').getByText('生日：03-18').waitFor()
    await page.getByTestId('tasks-section').scrollIntoViewIfNeeded()
    await screenshot(page, 'reminders-sidebar-after-375')
    assert.deepEqual(pageErrors, [])
    await ctx.close()
  })
})

async function adminCookieOf(page: Page): Promise<string> {
  const cookies = await page.context().cookies()
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ')
}
