// The admin console against the real server: login errors, login, menu navigation, logout, rate limit.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import {
  launchBrowser,
  loginThroughForm,
  newDesktopContext,
  screenshot,
  startServer,
  TEST_ADMIN,
  type E2EServer,
} from './helpers.ts'

/** Every page of the menu: real pages show their own test id, the rest the 建设中 placeholder. */
const MENU_PAGES: { title: string; path: string; testId: string }[] = [
  { title: '客户列表', path: '/admin/customers', testId: 'customers-page' },
  { title: '标签管理', path: '/admin/tags', testId: 'tags-page' },
  { title: '客户群', path: '/admin/groups', testId: 'groups-page' },
  { title: '回调收件箱', path: '/admin/inbox', testId: 'inbox-page' },
  { title: '通讯录同步', path: '/admin/sync', testId: 'sync-page' },
  { title: '员工', path: '/admin/staff', testId: 'staff-page' },
  { title: '渠道活码', path: '/admin/channels', testId: 'channels-page' },
  { title: '欢迎语', path: '/admin/welcome', testId: 'welcome-page' },
  { title: '流失客户', path: '/admin/lost-customers', testId: 'lost-page' },
  { title: '渠道统计', path: '/admin/channel-stats', testId: 'channel-stats-page' },
  { title: '群活码', path: '/admin/group-codes', testId: 'group-codes-page' },
  { title: '群统计', path: '/admin/group-stats', testId: 'group-stats-page' },
  { title: '门店', path: '/admin/stores', testId: 'stores-page' },
  { title: '社群活动', path: '/admin/campaigns', testId: 'campaigns-page' },
  { title: '话术库', path: '/admin/scripts', testId: 'scripts-page' },
  { title: '商品库', path: '/admin/products', testId: 'products-page' },
  { title: '订单', path: '/admin/orders', testId: 'orders-page' },
  { title: '客户分层', path: '/admin/segments', testId: 'segments-page' },
  { title: '提醒与SOP', path: '/admin/reminders', testId: 'reminders-page' },
  { title: '概览', path: '/admin/dashboard', testId: 'dashboard' },
]

describe('admin console shell', () => {
  let server: E2EServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  const pageErrors: string[] = []

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    context = await newDesktopContext(browser, server.baseUrl)
    page = await context.newPage()
    page.on('pageerror', (e) => pageErrors.push(e.message))
  })

  after(async () => {
    await browser?.close()
    await server?.close()
  })

  test('an unauthenticated visit goes to the login page, remembering where it was going', async () => {
    await page.goto('/admin/inbox')
    await page.waitForURL(/\/admin\/login\?redirect=/)
    assert.match(page.url(), /redirect=(%2F|\/)inbox$/)
    await page.getByText('登录管理后台').waitFor()
  })

  test('a wrong password shows a Chinese error', async () => {
    await loginThroughForm(page, TEST_ADMIN.username, 'not-the-password')
    const error = page.getByTestId('login-error')
    await error.waitFor()
    assert.match(await error.innerText(), /用户名或密码错误/)
    assert.match(page.url(), /\/admin\/login/)
    await screenshot(page, 'admin-login-error')
  })

  test('the correct password lands on the page it was going to, then the dashboard shows live data', async () => {
    await loginThroughForm(page, TEST_ADMIN.username, TEST_ADMIN.password)
    await page.waitForURL('**/admin/inbox')
    await page.getByTestId('inbox-page').waitFor()
    assert.equal(await page.getByTestId('current-user').innerText(), TEST_ADMIN.username)

    await page.getByTestId('side-menu').getByRole('menuitem', { name: '概览', exact: true }).click()
    await page.waitForURL('**/admin/dashboard')
    const health = page.getByTestId('health')
    await health.waitFor()
    assert.match(await health.innerText(), /正常/)
    assert.match(await health.innerText(), /已连接/)
    await page.getByTestId('inbox-stats').waitFor()
    await page.waitForTimeout(400) // let the chart draw
    await screenshot(page, 'admin-dashboard')
  })

  test('every menu entry navigates to its page, and the real pages load without errors', async () => {
    const menu = page.getByTestId('side-menu')
    for (const item of MENU_PAGES) {
      await menu.getByRole('menuitem', { name: item.title, exact: true }).click()
      await page.waitForURL(`**${item.path}`)
      await page.getByTestId(item.testId).waitFor()
      if (item.testId === 'under-construction') {
        assert.match(
          await page.getByTestId(item.testId).innerText(),
          new RegExp(`${item.title}[\\s\\S]*建设中`),
        )
      } else {
        // Let the page's requests settle, then make sure none of them failed.
        await page.waitForLoadState('networkidle')
        const alerts = await page.locator('.el-alert--error').allInnerTexts()
        assert.deepEqual(alerts, [], `${item.title} shows an error`)
      }
      if (item.path === '/admin/inbox') await screenshot(page, 'admin-inbox')
      if (item.path === '/admin/sync') await screenshot(page, 'admin-sync')
    }
    assert.deepEqual(pageErrors, [])
  })

  test('the inbox status tabs filter through the URL', async () => {
    await page.goto('/admin/inbox')
    await page.getByRole('tab', { name: /已搁置/ }).click()
    await page.waitForURL('**/admin/inbox?status=parked')
    await page.reload()
    // After a reload the tab comes from the URL, and its label carries the count from the stats.
    await page.locator('.el-tabs__item.is-active', { hasText: '已搁置 (0)' }).waitFor()
  })

  test('logout returns to the login page and the session is gone', async () => {
    await page.getByTestId('logout').click()
    await page.waitForURL('**/admin/login')
    await page.goto('/admin/customers')
    await page.waitForURL(/\/admin\/login\?redirect=(%2F|\/)customers$/)
  })

  test('too many attempts show the rate-limit message', async () => {
    const fresh = await newDesktopContext(browser, server.baseUrl)
    const p = await fresh.newPage()
    await p.goto('/admin/login')
    let message = ''
    for (let i = 0; i < 15 && !message.includes('频繁'); i++) {
      await Promise.all([
        p.waitForResponse((r) => r.url().endsWith('/api/admin/auth/login')),
        loginThroughForm(p, TEST_ADMIN.username, `wrong-${i}`),
      ])
      await p.getByTestId('login-error').waitFor()
      message = await p.getByTestId('login-error').innerText()
    }
    assert.match(message, /尝试过于频繁，请稍后再试/)
    await fresh.close()
  })
})
