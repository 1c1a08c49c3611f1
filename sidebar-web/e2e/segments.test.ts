// 客户分层 in Chromium: the admin page (recompute now, distributions, tier editor, tag mirroring, script
// stats) and the sidebar's segment section in a 1v1 chat, against the real server and simulated corp.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { ShopOrderEntity } from '../../server/src/modules/orders/order.entity.ts'
import { seedDemoContent } from '../../server/src/modules/products/demo-content.ts'
import { ScriptUsageEntity } from '../../server/src/modules/scripts/script.entity.ts'
import {
  launchBrowser,
  openAdminPage,
  openSidebarInChat,
  screenshot,
  startSyncedServer,
  type E2EServer,
} from './helpers.ts'

const DAY = 86_400_000
// Day `d` of last calendar month (Shanghai), so the tiers see it.
const sh = new Date(Date.now() + 8 * 3600_000)
const lastMonth = (d: number) =>
  new Date(Date.UTC(sh.getUTCFullYear(), sh.getUTCMonth() - 1, d, 2) - 8 * 3600_000)

describe('客户分层: admin page and sidebar section', () => {
  let server: E2EServer
  let browser: Browser
  let linaCustomer: string
  const pageErrors: string[] = []

  before(async () => {
    server = await startSyncedServer()
    await seedDemoContent(server.app)
    browser = await launchBrowser()
    // Orders for most of the corp's customers: amounts, coupons and dates vary with the index.
    const customers = [...server.sim.corp.data.customers.values()]
    linaCustomer = customers.find(
      (c) => c.follows.length === 1 && c.follows[0].userid === 'lina',
    )!.external_userid
    const orders = server.app.db.getRepository(ShopOrderEntity)
    let n = 0
    for (const [i, c] of customers.entries()) {
      if (i % 4 === 3 && c.external_userid !== linaCustomer) continue
      const count = c.external_userid === linaCustomer ? 4 : 1 + (i % 3)
      for (let k = 0; k < count; k++) {
        const at = k === 0 ? lastMonth(3 + (i % 20)) : new Date(Date.now() - (k * 25 + (i % 7)) * DAY)
        await orders.insert({
          sourceId: 1,
          orderNo: `E${++n}`,
          externalUserId: c.external_userid,
          userId: c.follows[0]?.userid ?? null,
          boundBy: 'mobile',
          boundAt: at,
          buyerMobile: null,
          buyerUnionid: null,
          buyerName: '',
          totalCents: c.external_userid === linaCustomer ? 90_000 : 5_000 + ((i * 7919) % 120_000),
          discountCents: (i + k) % 3 === 0 ? 1_000 : 0,
          couponUsed: (i + k) % 5 === 0,
          status: 'paid',
          orderedAt: at,
          createdAt: at,
        })
      }
    }
    const script = (await server.app.scripts.list({}))[0]
    for (const [i, c] of customers.entries())
      if (i % 2 === 0)
        await server.app.db.getRepository(ScriptUsageEntity).insert({
          scriptId: script.id,
          userId: c.follows[0]?.userid ?? 'lina',
          externalUserId: c.external_userid,
          chatId: null,
          usedAt: new Date(Date.now() - (30 + (i % 10)) * DAY),
        })
  })

  after(async () => {
    await browser?.close()
    await server?.close()
  })

  test('admin: recompute now, distributions, tier editor, tag mirroring and script stats', async () => {
    const page: Page = await openAdminPage(browser, server.baseUrl, '/admin/segments', { errors: pageErrors })
    await page.getByTestId('segments-page').waitFor()
    await page.getByTestId('recompute').click()
    await page.getByText(/已重算 \d+ 位客户/).waitFor()
    assert.match(await page.getByTestId('last-run').innerText(), /用时 \d+(\.\d)? (毫)?秒/)
    await page.getByTestId('distributions').locator('canvas').first().waitFor()
    assert.equal(await page.getByTestId('distributions').locator('canvas').count(), 4)

    // Rename a tier and give the top one a VIP group code.
    const names = page.locator('[data-testid="tier-name"] input, input[data-testid="tier-name"]')
    assert.equal(await names.count(), 3)
    await names.nth(1).fill('冲钻粉丝')
    await page.getByTestId('save-tiers').click()
    await page.getByText('会员等级已保存').waitFor()
    const tiers = await server.app.segmentTiers.list()
    assert.deepEqual(
      tiers.map((t) => t.name),
      ['奥粉', '冲钻粉丝', '钻粉'],
    )

    // Turn tag mirroring on: the tag group appears in WeCom.
    await page.getByTestId('mirror-switch').click()
    await page.getByTestId('save-mirror').click()
    await page.getByText('设置已保存').waitFor()
    assert.ok(server.sim.corp.data.tagGroups.some((g) => g.group_name === 'SCRM 分层'))
    await page.getByTestId('recompute').click()
    await page
      .getByText(/已重算 \d+ 位客户/)
      .nth(0)
      .waitFor()
    await page.waitForTimeout(300)
    const status = await page.getByTestId('mirror-status').innerText()
    assert.match(status, /已开启/)
    assert.match(status, /待打标 0/)

    await page.getByTestId('script-stats').locator('.el-table__row').first().waitFor()
    assert.ok((await page.getByTestId('script-stats').locator('.el-table__row').count()) > 1)
    await page.waitForTimeout(600)
    await screenshot(page, 'segments-admin')
    await page.getByTestId('script-stats').scrollIntoViewIfNeeded()
    await page.waitForTimeout(300)
    await screenshot(page, 'segments-admin-lower')
    assert.deepEqual(pageErrors, [])
  })

  test('sidebar: the segment section shows tier, RFM group, activity and price sensitivity', async () => {
    const { page } = await openSidebarInChat(browser, server.baseUrl, {
      entry: 'single_chat_tools',
      externalUserId: linaCustomer,
    })
    const section = page.getByTestId('segment-section')
    await section.waitFor()
    await section.getByTestId('segment-rfm').waitFor()
    const seg = await server.app.db.query(
      'SELECT tier_name AS tier, rfm_group AS rfm, price_sensitivity AS price FROM customer_segment WHERE external_user_id = ?',
      [linaCustomer],
    )
    assert.equal(await section.getByTestId('segment-tier').innerText(), seg[0].tier)
    assert.ok((await section.getByTestId('segment-rfm').innerText()).endsWith('客户'))
    assert.match(await section.getByTestId('segment-activity').innerText(), /活跃/)
    assert.match(await section.getByTestId('segment-price').innerText(), /价格敏感度/)
    assert.match(await section.getByTestId('segment-purchase').innerText(), /4 单/)
    await page.waitForTimeout(300)
    await screenshot(page, 'segments-sidebar')
  })
})
