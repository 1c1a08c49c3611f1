// The acquisition pages against the real server wired to the WeCom simulator: create a channel in the
// admin form (the simulator receives the contact way), then customers scan and leave, and every page
// is captured to /tmp/shots/acq-*.png.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { startSimulator, type RunningSimulator } from '../../server/src/simulator/index.ts'
import { eventually } from '../../server/test/helpers/simulated-corp.ts'
import { launchBrowser, openAdminPage, screenshot, startSyncedServer, type E2EServer } from './helpers.ts'

describe('acquisition admin pages', () => {
  let sim: RunningSimulator
  let server: E2EServer
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []
  // The demo corp has contact ways of its own; ours carry a c<id> state.
  const ours = () => [...sim.corp.data.contactWays.values()].filter((w) => /^c\d+$/.test(w.state))

  before(async () => {
    sim = await startSimulator({ seed: 'demo' })
    server = await startSyncedServer(sim)
    browser = await launchBrowser()
    page = await openAdminPage(browser, server.baseUrl, '/admin/login', { errors: pageErrors })
  })

  after(async () => {
    await browser?.close()
    await server?.close()
    await sim?.close()
  })

  test('an admin creates a channel code in the form; WeCom gets the contact way', async () => {
    await page.goto('/admin/channels')
    await page.getByTestId('channels-page').waitFor()
    await page.getByTestId('channel-create').click()
    await page.getByTestId('channel-form').waitFor()
    await page.getByTestId('channel-name').fill('小红书笔记')
    await page.getByTestId('code-name-0').fill('A款·封面1')
    await page.getByRole('button', { name: '+ 添加活码版本' }).click()
    await page.getByTestId('code-name-1').fill('B款·封面2')
    await page.getByTestId('advisor-select').click()
    await page.getByRole('option', { name: '李娜（lina）' }).click()
    await page.getByRole('option', { name: '王芳（wangfang）' }).click()
    await page.keyboard.press('Escape')
    await page.getByTestId('tag-select').click()
    await page.getByRole('option', { name: '渠道 · 小红书' }).click()
    await page.keyboard.press('Escape')
    await page
      .getByTestId('channel-welcome')
      .getByTestId('welcome-text')
      .fill('{name}你好，我是{advisor}，笔记里的同款在这里～')
    await page.getByTestId('channel-welcome').getByRole('button', { name: '+ 链接卡片' }).click()
    await page.getByTestId('channel-welcome').getByPlaceholder('标题').fill('同款直达')
    await page.getByTestId('channel-welcome').getByPlaceholder('链接地址').fill('https://example.com/same')
    assert.match(
      await page.getByTestId('channel-welcome').getByTestId('welcome-preview').innerText(),
      /周小米你好，我是李娜/,
    )
    await screenshot(page, 'acq-channel-form')
    await page.getByTestId('channel-submit').click()
    await page.locator('.el-message--success').waitFor()
    const row = page.getByTestId('channel-table').locator('tr', { hasText: '小红书笔记' }).first()
    await row.waitFor()
    assert.equal(await row.locator('img.qr').count(), 2)
    const ways = ours()
    assert.equal(ways.length, 2)
    assert.deepEqual(ways[0].user, ['lina', 'wangfang'])
    assert.match(ways[0].state, /^c\d+$/)
    await eventually(() =>
      row
        .locator('img.qr')
        .first()
        .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    )
  })

  test('the other pages show adds, lost customers and numbers', async () => {
    const [a, b] = ours()
    const scans = []
    for (let i = 0; i < 5; i++)
      scans.push(
        await sim.corp.driver.customerScansContactWay({ configId: i < 3 ? a.config_id : b.config_id }),
      )
    await eventually(
      async () =>
        (
          await server.app.db.query('SELECT COUNT(*) AS n FROM acq_record WHERE remark_status = ?', ['done'])
        )[0].n >= 5,
      10_000,
    )
    await sim.corp.driver.customerDeletesStaff({
      externalUserid: scans[0].externalUserid,
      userid: scans[0].userid,
    })
    await eventually(
      async () => (await server.app.db.query('SELECT COUNT(*) AS n FROM lost_customer'))[0].n >= 1,
      10_000,
    )

    await page.goto('/admin/channels')
    await page.getByTestId('channel-table').locator('tr', { hasText: '小红书笔记' }).first().waitFor()
    await page.waitForTimeout(300)
    await screenshot(page, 'acq-channels')

    await page.goto('/admin/welcome')
    await page.getByTestId('welcome-page').locator('.item', { hasText: '小红书笔记' }).click()
    await page.waitForTimeout(200)
    await screenshot(page, 'acq-welcome')

    await page.goto('/admin/lost-customers')
    await page.getByTestId('lost-table').locator('tbody tr').first().waitFor()
    assert.equal(await page.getByTestId('lost-table').locator('tbody tr').count(), 1)
    await page.waitForTimeout(600)
    await screenshot(page, 'acq-lost')

    await page.goto('/admin/channel-stats')
    await page.getByTestId('stats-by-channel').locator('tbody tr').first().waitFor()
    await page.locator('canvas').first().waitFor()
    await page.waitForTimeout(1500)
    assert.match(await page.getByTestId('stats-by-channel').innerText(), /小红书笔记\s+5\s+1\s+4\s+4/)
    await screenshot(page, 'acq-stats')
    await page.getByRole('tab', { name: '活码 A/B 对比' }).click()
    await page.waitForTimeout(1500)
    await page.getByTestId('stats-by-code').scrollIntoViewIfNeeded()
    await screenshot(page, 'acq-stats-ab')
    assert.deepEqual(pageErrors, [])
  })
})
