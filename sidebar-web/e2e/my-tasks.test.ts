// 我的任务 in Chromium against the real server and the simulated corp: the sidebar opened outside a chat
// (entry normal, as from a reminder app message's link) lists the advisor's open tasks grouped by kind —
// a run-out reminder from the scan and a VIP-group invitation from segment_invite — highlights `?task=<id>`,
// opens the 1v1 chat through ww.openEnterpriseChat, copies the script, marks done; and the demo's
// simulated chat window opens it from 工作台 and switches to the customer's chat on 发消息.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { App } from '../../server/src/app.ts'
import { seedDemoContent } from '../../server/src/modules/products/demo-content.ts'
import { ProductEntity } from '../../server/src/modules/products/product.entity.ts'
import { GroupCodeEntity } from '../../server/src/modules/groups/group-code.entity.ts'
import { FollowupTaskEntity } from '../../server/src/modules/reminders/reminder.entity.ts'
import { DAY_MS } from '../../server/src/modules/reminders/runout.ts'
import { sqlTime } from '../../server/src/modules/reminders/sql.ts'
import { SegmentInviteEntity } from '../../server/src/modules/segments/segment.entity.ts'
import {
  bridgeCalls,
  installFakeWeComBridge,
  launchBrowser,
  newDesktopContext,
  newMobileContext,
  screenshot,
  startMountedDemo,
  startServer,
  type E2EServer,
  type MountedDemo,
} from './helpers.ts'

/**
 * lina's customer bought the serum (45-day cycle, reminded 3 days before) 43 days ago → a run-out
 * reminder; a second customer reached a VIP tier → a pending invitation to the VIP group code.
 */
async function seedTasks(app: App, runoutCustomer: string, vipCustomer: string): Promise<void> {
  const db = app.db
  const serum = (await db.getRepository(ProductEntity).find()).find((p) => p.name.startsWith('修护精华液'))!
  await db.getRepository(ProductEntity).update({ id: serum.id }, { cycleDays: 45, remindDaysBefore: 3 })
  const now = Date.now()
  const t = (ms: number) => sqlTime(db, new Date(ms))
  await db.query(
    `INSERT INTO shop_order (source_id, order_no, external_user_id, user_id, bound_by, bound_at, buyer_name,
       total_cents, discount_cents, coupon_used, status, ordered_at, created_at)
     VALUES (1, ?, ?, 'lina', 'advisor', ?, '', 29900, 0, ?, 'paid', ?, ?)`,
    [`MT${now}`, runoutCustomer, t(now), false, t(now - 43 * DAY_MS), t(now)],
  )
  const [{ id }] = await db.query('SELECT id FROM shop_order WHERE order_no = ?', [`MT${now}`])
  await db.query(
    `INSERT INTO shop_order_item (order_id, product_id, sku, product_name, quantity, amount_cents)
     VALUES (?, ?, '', 'x', 1, 29900)`,
    [id, serum.id],
  )
  await app.reminders.onOrdersChanged([runoutCustomer])
  // What the segments module writes when a customer reaches a tier with a group code.
  const code = await db.getRepository(GroupCodeEntity).save({
    name: '钻粉尊享群',
    threshold: 200,
    qrCode: 'https://wework.qpic.cn/wwpic/vip-qr.png',
    status: 'active',
    rotationUntil: new Date(),
    createdAt: new Date(),
    updatedAt: new Date(),
  })
  const [tier] = await db.query("SELECT id FROM member_tier WHERE name = '钻粉'")
  await db.getRepository(SegmentInviteEntity).insert({
    externalUserId: vipCustomer,
    userId: 'lina',
    tierId: Number(tier.id),
    groupCodeId: code.id,
    status: 'pending',
    createdAt: new Date(),
    doneAt: null,
  })
  await app.reminders.scan()
}

describe('我的任务: the sidebar outside a chat', () => {
  let server: E2EServer
  let browser: Browser
  let runoutCustomer: string
  let vipCustomer: string
  let runoutTaskId: number
  const pageErrors: string[] = []

  before(async () => {
    server = await startServer()
    await server.app.directorySync.start()
    await server.app.directorySync.wait()
    await seedDemoContent(server.app)
    browser = await launchBrowser()
    const lina = [...server.sim.corp.data.customers.values()].filter(
      (c) => c.follows.length === 1 && c.follows[0].userid === 'lina',
    )
    runoutCustomer = lina[0].external_userid
    vipCustomer = lina[1].external_userid
    await seedTasks(server.app, runoutCustomer, vipCustomer)
    const task = await server.app.db
      .getRepository(FollowupTaskEntity)
      .findOneByOrFail({ externalUserId: runoutCustomer, kind: 'runout' })
    runoutTaskId = task.id
  })

  after(async () => {
    await browser?.close()
    await server?.close()
    assert.deepEqual(pageErrors, [])
  })

  async function open(path: string): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await newMobileContext(browser, server.baseUrl, { wecom: true })
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl })
    await installFakeWeComBridge(ctx, { entry: 'normal' })
    const page = await ctx.newPage()
    page.on('pageerror', (e) => pageErrors.push(e.message))
    await page.goto(path)
    // No session yet: through the (simulated) WeCom OAuth as lina, back to the same link.
    await page.locator('a.who', { hasText: 'lina' }).click()
    await page.getByTestId('my-tasks').waitFor()
    return { ctx, page }
  }

  test('the digest link lists open tasks grouped by kind, with the customer, reason and script', async () => {
    const { ctx, page } = await open('/sidebar/?tasks=mine')
    assert.equal(await page.getByTestId('context-entry').getAttribute('data-entry'), 'normal')
    assert.equal(await page.getByTestId('sidebar-tabbar').count(), 0, 'no chat tabs outside a chat')
    await page.getByTestId('my-task').first().waitFor()

    const openTasks = await server.app.reminders.tasks.mine('lina', 500)
    assert.equal(await page.getByTestId('my-task').count(), openTasks.length)
    assert.equal(await page.getByTestId('my-tasks-open').innerText(), String(openTasks.length))
    const kinds = await page.getByTestId('task-group').evaluateAll((els) => els.map((e) => e.dataset.kind))
    assert.deepEqual(kinds, [...new Set(kinds)], 'one group per kind')
    assert.ok(kinds.includes('runout') && kinds.includes('invite'), `groups: ${kinds.join(', ')}`)

    const runout = page.locator(`[data-testid="my-task"][data-task-id="${runoutTaskId}"]`)
    const sim = server.sim.corp.data.customers.get(runoutCustomer)!
    assert.equal(await runout.getByTestId('my-task-customer').innerText(), sim.name)
    assert.match(await runout.getByTestId('my-task-reason').innerText(), /预计 .* 用完（还有 2 天）/)
    await runout.getByTestId('my-task-script').waitFor()

    const invite = page.locator('[data-testid="task-group"][data-kind="invite"] [data-testid="my-task"]')
    assert.match(await invite.innerText(), /邀请进入 VIP 群：钻粉尊享群/)
    assert.equal(
      await invite.getByTestId('my-task-customer').innerText(),
      server.sim.corp.data.customers.get(vipCustomer)!.name,
    )
    await screenshot(page, 'sidebar-my-tasks-375')

    // Copy the invitation text (no library script: the task's message).
    await invite.getByTestId('my-task-copy').click()
    await page.locator('.van-toast', { hasText: '已复制' }).waitFor()
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    assert.match(copied, /钻粉尊享群/)
    await ctx.close()
  })

  test('?task=<id> highlights the reminder; 发消息 opens the 1v1 chat; 完成 counts toward today', async () => {
    const { ctx, page } = await open(`/sidebar/?task=${runoutTaskId}`)
    const card = page.locator(`[data-testid="my-task"][data-task-id="${runoutTaskId}"]`)
    await card.waitFor()
    assert.equal(await card.getAttribute('data-highlighted'), 'true')
    assert.equal(await page.locator('[data-highlighted="true"]').count(), 1)
    assert.ok(await card.isVisible())
    await screenshot(page, 'sidebar-my-tasks-highlight-375')

    await card.getByTestId('my-task-chat').click()
    await page.waitForFunction(() =>
      (window as unknown as { __bridgeCalls: { name: string }[] }).__bridgeCalls.some(
        (c) => c.name === 'openEnterpriseChat',
      ),
    )
    const call = (await bridgeCalls(page)).find((c) => c.name === 'openEnterpriseChat')!
    assert.equal(call.params.externalUserIds, runoutCustomer)
    assert.equal(call.params.userIds, '')

    const before = Number(await page.getByTestId('my-tasks-done').innerText())
    await card.getByTestId('my-task-done').click()
    await card.waitFor({ state: 'detached' })
    assert.equal(await page.getByTestId('my-tasks-done').innerText(), String(before + 1))
    const row = await server.app.db.getRepository(FollowupTaskEntity).findOneByOrFail({ id: runoutTaskId })
    assert.equal(row.status, 'done')

    // The same link again: the task is no longer open, and the page says so.
    await page.reload()
    await page.getByTestId('my-tasks-linked').waitFor()
    assert.match(await page.getByTestId('my-tasks-linked').innerText(), /已完成/)
    assert.equal(await page.getByTestId('my-tasks-done').innerText(), String(before + 1))
    await screenshot(page, 'sidebar-my-tasks-done-375')
    await ctx.close()
  })

  test('in the chat with the VIP customer, the tasks section shows the invitation', async () => {
    const ctx = await newMobileContext(browser, server.baseUrl, { wecom: true })
    await installFakeWeComBridge(ctx, { entry: 'single_chat_tools', externalUserId: vipCustomer })
    const page = await ctx.newPage()
    page.on('pageerror', (e) => pageErrors.push(e.message))
    await page.goto('/sidebar/')
    await page.locator('a.who', { hasText: 'lina' }).click()
    const item = page.getByTestId('task-item').filter({ hasText: '邀请进入 VIP 群：钻粉尊享群' })
    await item.waitFor()
    assert.match(await item.innerText(), /VIP 入群/)
    await item.scrollIntoViewIfNeeded()
    await screenshot(page, 'sidebar-customer-invite-task-375')
    await ctx.close()
  })

  test('the VIP invitation done in 我的任务 marks the invitation done', async () => {
    const { ctx, page } = await open('/sidebar/')
    const invite = page.locator('[data-testid="task-group"][data-kind="invite"] [data-testid="my-task"]')
    await invite.getByTestId('my-task-done').click()
    await invite.waitFor({ state: 'detached' })
    const row = await server.app.db
      .getRepository(SegmentInviteEntity)
      .findOneByOrFail({ externalUserId: vipCustomer })
    assert.equal(row.status, 'done')
    await ctx.close()
  })
})

describe('simulated chat window: 工作台 · 我的任务', () => {
  let demo: MountedDemo
  let base: string
  let browser: Browser

  before(async () => {
    demo = await startMountedDemo()
    base = demo.baseUrl
    browser = await launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await demo?.close()
  })

  test('工作台 opens the sidebar without a chat; 发消息 switches the window to that customer', async () => {
    const lina = [...demo.app.simulatedCorp!.data.customers.values()].filter(
      (c) => c.follows.length === 1 && c.follows[0].userid === 'lina',
    )
    await seedTasks(demo.app, lina[0].external_userid, lina[1].external_userid)
    const context = await newDesktopContext(browser, base)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto('/simulator/chat')
    await page.getByTestId('sim-advisor').selectOption('lina')
    // lina's conversations are listed once the page has switched to her (it rebuilds the list).
    await page.locator(`[data-testid="sim-conv"][data-id="${lina[0].external_userid}"]`).waitFor()
    await page.getByTestId('sim-workbench').click()

    const sidebar = page.frameLocator('[data-testid="sim-sidebar"]')
    const card = sidebar.locator('[data-testid="task-group"][data-kind="runout"] [data-testid="my-task"]')
    await card.waitFor({ timeout: 15_000 })
    assert.equal(await sidebar.getByTestId('context-entry').getAttribute('data-entry'), 'normal')
    await screenshot(page, 'sim-chat-my-tasks-1440')

    await card.getByTestId('my-task-chat').click()
    await sidebar.getByTestId('customer-profile').waitFor({ timeout: 15_000 })
    const sim = demo.app.simulatedCorp!.data.customers.get(lina[0].external_userid)!
    assert.equal(await sidebar.getByTestId('customer-name').innerText(), sim.name)
    assert.match(await page.locator('#title').innerText(), new RegExp(sim.name))
    const calls = await page.evaluate(
      () => (window as unknown as { __bridgeCalls: { name: string }[] }).__bridgeCalls,
    )
    assert.ok(calls.some((c) => c.name === 'openEnterpriseChat'))
    await screenshot(page, 'sim-chat-after-open-1440')
    assert.deepEqual(errors, [])
    await context.close()
  })
})
