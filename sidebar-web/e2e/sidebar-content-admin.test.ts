// The admin side of the sidebar's content: 话术库 and 商品库 pages in the console (Chromium, desktop).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { seedDemoContent } from '../../server/src/modules/products/demo-content.ts'
import { launchBrowser, openAdminPage, screenshot, startSyncedServer, type E2EServer } from './helpers.ts'

describe('admin: script library and product library pages', () => {
  let server: E2EServer
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  before(async () => {
    server = await startSyncedServer()
    await seedDemoContent(server.app)
    browser = await launchBrowser()
    page = await openAdminPage(browser, server.baseUrl, '/admin/scripts', { errors: pageErrors })
  })

  after(async () => {
    await browser?.close()
    await server?.close()
  })

  test('话术库 lists the libraries and scripts, and a new script is saved through the form', async () => {
    await page.getByTestId('scripts-page').waitFor()
    await page.getByTestId('scripts-table').waitFor()
    assert.equal(await page.getByTestId('library-item').count(), 2)
    await page.getByTestId('script-new').click()
    await page.getByTestId('script-title').fill('试用装回访')
    await page.getByTestId('script-content').fill('试用装用了几天感觉怎么样？')
    await page.getByTestId('script-save').click()
    await page.getByTestId('scripts-table').getByText('试用装回访').waitFor()
    const saved = (await server.app.scripts.list({ q: '试用装回访' }))[0]
    assert.equal(saved.content, '试用装用了几天感觉怎么样？')
    await page.waitForLoadState('networkidle')
    await page.waitForTimeout(500)
    await screenshot(page, 'sidebar-admin-scripts')
  })

  test('商品库 lists products with price, card types and send counts', async () => {
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '商品库', exact: true }).click()
    await page.waitForURL('**/admin/products')
    const table = page.getByTestId('products-table')
    await table.waitFor()
    await table.getByText('修护精华液 30ml').waitFor()
    assert.match(await table.innerText(), /¥299/)
    await page.waitForLoadState('networkidle')
    await page.waitForTimeout(500)
    await screenshot(page, 'sidebar-admin-products')
    assert.deepEqual(pageErrors, [])
  })
})
