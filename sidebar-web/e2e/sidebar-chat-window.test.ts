// The demo's simulated chat window (/simulator/chat) with the simulator mounted inside the product, as
// `pnpm start` runs it: a plain browser (no WeCom user agent, no injected bridge) picks an advisor and a
// customer; the real sidebar in the iframe signs in, adopts the page's bridge, and a script it sends
// lands in the chat's input box.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import {
  launchBrowser,
  newDesktopContext,
  screenshot,
  startMountedDemo,
  type MountedDemo,
} from './helpers.ts'

describe('simulated chat window (demo)', () => {
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

  test('pick an advisor and a customer; the framed sidebar shows the profile and sends into the chat', async () => {
    const context = await newDesktopContext(browser, base)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto('/simulator/chat')
    await page.getByTestId('sim-advisor').selectOption('lina')
    const conv = page.locator('[data-testid="sim-conv"][data-kind="customer"]').first()
    await conv.waitFor()
    const customerId = (await conv.getAttribute('data-id'))!
    await conv.click()

    const sidebar = page.frameLocator('[data-testid="sim-sidebar"]')
    await sidebar.getByTestId('customer-profile').waitFor({ timeout: 15_000 })
    const sim = demo.app.simulatedCorp!.data.customers.get(customerId)!
    assert.equal(await sidebar.getByTestId('customer-name').innerText(), sim.name)

    await sidebar.getByTestId('sidebar-tabbar').getByText('话术', { exact: true }).click()
    const first = sidebar.getByTestId('script-item').first()
    await first.waitFor()
    const script = await demo.app.scripts.get(Number(await first.getAttribute('data-script-id')))
    await first.getByTestId('script-send').click()
    await page
      .getByTestId('sim-draft')
      .filter({ hasText: script.content.slice(0, 8) })
      .waitFor()
    await page.getByTestId('sim-send').click()
    await page
      .getByTestId('sim-message')
      .filter({ hasText: script.content.slice(0, 8) })
      .waitFor()
    assert.equal(await page.getByTestId('sim-message').count(), 2)

    // A product card too.
    await sidebar.getByTestId('sidebar-tabbar').getByText('商品', { exact: true }).click()
    await sidebar.getByTestId('product-send-news').first().click()
    await page.getByTestId('sim-draft').locator('.card').waitFor()
    await page.getByTestId('sim-send').click()
    await page.waitForTimeout(300)
    await screenshot(page, 'sidebar-chat-window')

    // Group chats of the advisor open the group view.
    await page.locator('[data-testid="sim-conv"][data-kind="group"]').first().click()
    await sidebar.getByTestId('group-panel').waitFor({ timeout: 15_000 })
    await sidebar.getByTestId('group-name').waitFor()
    await page.waitForTimeout(300)
    await screenshot(page, 'sidebar-chat-window-group')
    assert.deepEqual(errors, [])
    await context.close()
  })
})
