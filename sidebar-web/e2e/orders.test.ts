// Orders in Chromium against the real server and the simulated corp: the console's import wizard (choose
// source → upload a CSV → mapping + preview → progress → rejected rows), the order list, and the
// sidebar's orders section in a 1v1 chat (the customer's orders, totals, binding an order number).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { seedDemoContent } from '../../server/src/modules/products/demo-content.ts'
import { seedDemoOrders } from '../../server/src/modules/orders/demo-orders.ts'
import {
  launchBrowser,
  openAdminPage,
  openSidebarInChat,
  screenshot,
  startSyncedServer,
  type E2EServer,
} from './helpers.ts'

describe('orders: import wizard, order list, sidebar orders section', () => {
  let server: E2EServer
  let browser: Browser
  let customerId: string
  let mobile: string
  const dir = mkdtempSync(join(tmpdir(), 'scrm-e2e-orders-'))
  const pageErrors: string[] = []

  before(async () => {
    server = await startSyncedServer()
    await seedDemoContent(server.app)
    await seedDemoOrders(server.app)
    browser = await launchBrowser()
    const c = [...server.sim.corp.data.customers.values()].find(
      (x) => x.follows.length === 1 && x.follows[0].userid === 'lina' && x.follows[0].remark_mobiles.length,
    )!
    customerId = c.external_userid
    mobile = c.follows[0].remark_mobiles[0]
  })
  after(async () => {
    await browser?.close()
    await server?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  test('console: import a CSV through the wizard, see progress, rejected rows and the imported orders', async () => {
    const page: Page = await openAdminPage(browser, server.baseUrl, '/admin/orders', { errors: pageErrors })
    await page.getByTestId('orders-page').waitFor()
    await page.getByTestId('orders-table').waitFor()
    await page.waitForLoadState('networkidle')
    await screenshot(page, 'orders-admin-list')

    const csv = [
      '订单编号,下单时间,手机号,买家,实付金额,优惠金额,商品名称,数量,商品金额',
      `E2E-1,2026-11-20 10:00,${mobile},李女士,298,20,玻尿酸精华,1,198`,
      `E2E-1,2026-11-20 10:00,${mobile},李女士,298,20,修护面霜,1,100`,
      'E2E-2,2026-11-21 11:00,13900009999,王先生,59.9,0,面膜,3,59.9',
      'E2E-3,昨天,13900009998,赵女士,10,0,小样,1,10',
      'E2E-4,2026-11-21 12:00,13900009997,钱女士,-5,0,小样,1,0',
    ].join('\n')
    const file = join(dir, '订单导出.csv')
    writeFileSync(file, csv)

    await page.getByRole('tab', { name: '导入订单' }).click()
    await page.getByTestId('import-wizard').waitFor()
    await page.getByTestId('import-file').setInputFiles(file)
    await page.getByTestId('import-mapping').waitFor()
    await page.getByTestId('import-preview').waitFor()
    // Headers were recognised: order number, time and total are mapped, so the import may start.
    assert.equal(await page.getByTestId('import-start').isDisabled(), false)
    await page.waitForTimeout(300)
    await screenshot(page, 'orders-import-mapping')

    await page.getByTestId('import-start').click()
    await page.getByTestId('import-rejects').waitFor({ timeout: 30_000 })
    assert.equal(await page.getByTestId('stat-read').innerText(), '5')
    assert.equal(await page.getByTestId('stat-inserted').innerText(), '2')
    assert.equal(await page.getByTestId('stat-rejected').innerText(), '2')
    const rejectText = await page.getByTestId('import-rejects').innerText()
    assert.match(rejectText, /日期无法识别：昨天/)
    assert.match(rejectText, /实付金额为负：-5/)
    await page.waitForTimeout(300)
    await screenshot(page, 'orders-import-result')

    // The list finds the imported order, bound to lina's customer by the remark mobile.
    await page.getByRole('tab', { name: '订单列表' }).click()
    await page.getByTestId('order-search').fill('E2E-1')
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="orders-table"] tbody tr').length === 1,
    )
    const row = await page.getByTestId('orders-table').locator('tbody tr').innerText()
    assert.match(row, /E2E-1/)
    assert.match(row, /手机号 · 导购 lina/)
    await page.waitForTimeout(300)
    await screenshot(page, 'orders-admin-search')

    // A new source: its API key is shown once in a dialog; the table keeps only the prefix.
    await page.getByRole('tab', { name: '订单来源与 API' }).click()
    await page
      .getByTestId('order-sources')
      .getByPlaceholder('来源名称，如 有赞小店、天猫旗舰店')
      .fill('天猫旗舰店')
    await page.getByTestId('source-create').click()
    const key = await page.getByTestId('source-key').innerText()
    assert.match(key, /^ok_[0-9a-f]{40}$/)
    await page.getByTestId('sources-table').getByText('天猫旗舰店').waitFor()
    await page.waitForTimeout(300)
    await screenshot(page, 'orders-admin-sources-key')
    await page.getByRole('button', { name: '我已保存' }).click()
    await page
      .getByTestId('sources-table')
      .getByText(`${key.slice(0, 10)}…`)
      .waitFor()
    await page.waitForTimeout(300)
    await screenshot(page, 'orders-admin-sources')
    assert.deepEqual(pageErrors, [])
  })

  test('sidebar: the customer’s orders with totals, and binding an order number', async () => {
    const { page } = await openSidebarInChat(
      browser,
      server.baseUrl,
      { entry: 'single_chat_tools', externalUserId: customerId },
      { errors: pageErrors },
    )
    const section = page.getByTestId('orders-section')
    await section.waitFor()
    await section.getByTestId('order-item').first().waitFor()
    const before = await server.app.orders.ofCustomer(customerId)
    assert.ok(before.items.some((o) => o.orderNo === 'E2E-1'))
    assert.match(await page.getByTestId('orders-totals').innerText(), new RegExp(`${before.totals.count} 单`))

    // An unbound order (a buyer the shop knows by another number) bound by the advisor.
    const unbound = (await server.app.orders.list({ bound: 'unbound', page: 1, pageSize: 1 })).items[0]
    await page.getByTestId('order-bind-input').locator('input').fill(unbound.orderNo)
    await page.getByTestId('order-bind').click()
    await page
      .getByTestId('orders-totals')
      .getByText(`${before.totals.count + 1} 单`)
      .waitFor()
    const after = await server.app.orders.ofCustomer(customerId)
    assert.ok(
      after.items.some(
        (o) => o.orderNo === unbound.orderNo && o.boundBy === 'advisor' && o.userId === 'lina',
      ),
    )
    await page.locator('.van-toast').waitFor({ state: 'hidden' }) // let the toast fade
    await section.scrollIntoViewIfNeeded()
    await screenshot(page, 'orders-sidebar-section')
    assert.deepEqual(pageErrors, [])
  })
})
