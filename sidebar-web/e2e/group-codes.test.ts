// Group codes (群活码), group stats, stores and the public store landing page, in Chromium against the
// real server wired to the WeCom simulator: the admin builds a code from mirrored groups in the form,
// customers scan it in the simulator (the server rotates full groups out of the join way), the detail
// and stats pages show it, and the landing page sends a located customer to the nearest store's QR.
// Screenshots go to /tmp/shots/group-*.png and landing-*.png.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startSimulator, type RunningSimulator } from '../../server/src/simulator/index.ts'
import { eventually } from '../../server/test/helpers/simulated-corp.ts'
import {
  collectPageErrors,
  launchBrowser,
  newMobileContext,
  openAdminPage,
  screenshot,
  startSyncedServer,
  type E2EServer,
} from './helpers.ts'

/** Waits until an <img> has loaded a real picture (the QR PNG answered and decoded). */
const imageLoaded = (page: Page, selector: string) =>
  eventually(() =>
    page
      .locator(selector)
      .first()
      .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
  )

describe('group code admin pages and store landing page', () => {
  let sim: RunningSimulator
  let server: E2EServer
  let browser: Browser
  let admin: Page
  const pageErrors: string[] = []
  // Three store groups of lina's, filled so the pool has every state at a threshold of 10:
  // A 9 members (nearly full), B 4, C 10 (already full, so it must not go live).
  const chats = { a: '', b: '', c: '' }
  const THRESHOLD = 10
  // 静安寺 and a store 1,000 km away; a customer standing ~70 m from 静安寺.
  const STORE = { lat: 31.2235, lng: 121.4456 }
  const NEAR = { latitude: 31.2241, longitude: 121.4458 }
  const FAR = { latitude: 39.9087, longitude: 116.3975 }
  let codeId = 0
  let configId = ''

  before(async () => {
    sim = await startSimulator({ seed: 'demo' })
    // The groups and their first members date from a month ago, outside the stats page's 14 days.
    const monthAgo = sim.corp.now() - 30 * 86_400
    const fill = (name: string, members: number) => {
      const g = sim.corp.createGroup('lina', name, { createTime: monthAgo })
      for (let i = 1; i < members; i++)
        sim.corp.joinGroup(g, sim.corp.addCustomer({ name: `${name}顾客${i}` }).external_userid, {
          scene: 3,
          time: monthAgo,
        })
      return g.chat_id
    }
    chats.a = fill('门店测试A群', 9)
    chats.b = fill('门店测试B群', 4)
    chats.c = fill('门店测试C群', 10)
    server = await startSyncedServer(sim)
    browser = await launchBrowser()
    admin = await openAdminPage(browser, server.baseUrl, '/admin/login', { errors: pageErrors })
  })

  after(async () => {
    await browser?.close()
    await server?.close()
    await sim?.close()
  })

  test('an admin builds a group code from an ordered pool; WeCom gets the join way', async () => {
    await admin.goto('/admin/group-codes')
    await admin.getByTestId('group-codes-page').waitFor()
    await admin.getByTestId('group-code-create').click()
    await admin.getByTestId('group-code-form').waitFor()
    await admin.getByTestId('group-code-name').fill('静安寺店福利群')
    await admin.getByTestId('group-code-threshold').locator('input').fill(String(THRESHOLD))
    await admin.getByTestId('group-code-threshold').locator('input').blur()
    // Pick A, C, B, then move B above C: the pool is ordered A, B, C.
    await admin.getByTestId('pool-search').fill('门店测试')
    for (const id of [chats.a, chats.c, chats.b]) await admin.getByTestId(`pool-candidate-${id}`).click()
    // Drag B (3rd) onto C (2nd), then ↓ and ↑ leave it there.
    await admin.getByTestId('pool-item-2').locator('.handle').dragTo(admin.getByTestId('pool-item-1'))
    await admin.getByTestId('pool-down-1').click()
    await admin.getByTestId('pool-up-2').click()
    const order = await admin.getByTestId('pool-order').locator('.row-name').allInnerTexts()
    assert.deepEqual(
      order.map((t) => t.replace(/\s+/g, ' ').trim()),
      ['门店测试A群 进活码', '门店测试B群 进活码', '门店测试C群'],
    )
    // C already has 10 of 10: its bar is red; A (9/10) is orange.
    assert.equal(
      await admin.getByTestId('pool-item-2').getByTestId('fill-bar').getAttribute('data-level'),
      'full',
    )
    assert.equal(
      await admin.getByTestId('pool-item-0').getByTestId('fill-bar').getAttribute('data-level'),
      'near',
    )
    await admin.getByTestId('group-code-auto').click()
    await admin.getByTestId('group-code-base-name').fill('静安寺福利群')
    await admin.getByTestId('group-welcome-text').fill('欢迎 {name} 加入静安寺店福利群，每周三群内秒杀～')
    await admin.getByTestId('group-welcome-kind').getByText('链接卡片').click()
    await admin.getByTestId('group-welcome-title').fill('到店福利')
    await admin.getByTestId('group-welcome-url').fill('https://example.com/store-gift')
    await admin.waitForTimeout(400) // let Element Plus' transitions finish before the picture
    await screenshot(admin, 'group-code-form')
    await admin.getByTestId('group-code-submit').click()
    await admin.locator('.el-message--success').waitFor()

    const row = admin.getByTestId('group-code-table').locator('tr', { hasText: '静安寺店福利群' }).first()
    await row.waitFor()
    assert.equal((await row.getByTestId('row-live').innerText()).trim(), '2')
    const ways = [...sim.corp.data.joinWays.values()].filter((w) => w.room_base_name === '静安寺福利群')
    assert.equal(ways.length, 1)
    assert.deepEqual(ways[0].chat_id_list, [chats.a, chats.b])
    assert.equal(ways[0].auto_create_room, 1)
    configId = ways[0].config_id
    // Editing loads the saved pool in its order.
    await row.getByRole('button', { name: '编辑' }).click()
    await admin.getByTestId('group-code-form').waitFor()
    await admin.getByTestId('pool-item-2').waitFor()
    assert.equal(await admin.getByTestId('group-code-name').inputValue(), '静安寺店福利群')
    assert.deepEqual(
      await admin
        .getByTestId('pool-order')
        .locator('.row-name')
        .allInnerTexts()
        .then((t) => t.map((x) => x.split(/\s/)[0])),
      ['门店测试A群', '门店测试B群', '门店测试C群'],
    )
    assert.equal(await admin.getByTestId('group-welcome-title').inputValue(), '到店福利')
    await admin.getByRole('button', { name: '取消' }).click()
    const codes = (await (await admin.request.get('/api/admin/group-codes')).json()) as {
      items: { id: number; name: string }[]
    }
    codeId = codes.items.find((c) => c.name === '静安寺店福利群')!.id
    await imageLoaded(admin, 'img.qr')
  })

  test('customers scan the code: A fills and is rotated out; the detail shows bars, live groups, QR, history', async () => {
    const first = await sim.corp.driver.customerJoinsGroupViaJoinWay({ configId })
    assert.equal(first.joined && first.chatId, chats.a)
    // A reached the threshold: the server replaces it in the join way (C is full too, so only B stays).
    await eventually(async () => {
      const way = sim.corp.data.joinWays.get(configId)!
      return !way.chat_id_list.includes(chats.a) && way.chat_id_list.includes(chats.b)
    }, 15_000)
    for (let i = 0; i < 3; i++) {
      const r = await sim.corp.driver.customerJoinsGroupViaJoinWay({ configId })
      assert.equal(r.joined && r.chatId, chats.b)
    }
    await eventually(async () => {
      const d = (await (await admin.request.get(`/api/admin/group-codes/${codeId}`)).json()) as {
        pool: { chatId: string; memberCount: number }[]
      }
      return d.pool.find((p) => p.chatId === chats.b)?.memberCount === 7
    }, 15_000)

    await admin.goto('/admin/group-codes')
    await admin.getByTestId(`group-code-detail-${codeId}`).click()
    const detail = admin.getByTestId('group-code-detail')
    await detail.waitFor()
    await detail.getByTestId('pool-table').locator('tbody tr').nth(2).waitFor()
    assert.match(admin.url(), new RegExp(`id=${codeId}`))
    const rows = detail.getByTestId('pool-table').locator('tbody tr')
    assert.equal(await rows.count(), 3)
    const levels = await detail
      .getByTestId('fill-bar')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-level')))
    assert.deepEqual(levels, ['full', 'ok', 'full'])
    assert.match(await rows.nth(0).innerText(), /门店测试A群[\s\S]*10 \/ 10[\s\S]*已满/)
    assert.match(await rows.nth(1).innerText(), /门店测试B群[\s\S]*活码中[\s\S]*7 \/ 10/)
    assert.equal(await detail.getByTestId('live-tag').count(), 1)
    assert.equal((await detail.getByTestId('detail-live').innerText()).replace(/\s/g, ''), '1/5')
    await imageLoaded(admin, '[data-testid="group-code-qr"]')
    const png = await admin.request.get(`/api/admin/group-codes/${codeId}/qr.png`)
    assert.equal(png.status(), 200)
    assert.equal(png.headers()['content-type'], 'image/png')
    assert.match(
      await detail.getByTestId('group-code-history').innerText(),
      /换群[\s\S]*门店测试A群[\s\S]*创建/,
    )
    await admin.waitForTimeout(300)
    await screenshot(admin, 'group-code-detail')
    await admin
      .locator('.el-drawer__body')
      .last()
      .evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await admin.waitForTimeout(200)
    await screenshot(admin, 'group-code-detail-history')
    await admin.keyboard.press('Escape')
    await admin.waitForTimeout(300)
    await screenshot(admin, 'group-codes')
  })

  test('the stats page charts joins and quits and lists groups and owners', async () => {
    const b = sim.corp.data.groups.get(chats.b)!
    const leaving = b.member_list.find((m) => m.type === 2)!.userid
    await sim.corp.driver.leavesGroup({ chatId: chats.b, memberId: leaving })
    await eventually(async () => {
      const d = (await (await admin.request.get(`/api/admin/group-codes/${codeId}`)).json()) as {
        pool: { chatId: string; memberCount: number }[]
      }
      return d.pool.find((p) => p.chatId === chats.b)?.memberCount === 6
    }, 15_000)

    await admin.goto('/admin/group-stats')
    const groups = admin.getByTestId('group-stats-groups')
    await groups.locator('tbody tr').first().waitFor()
    await admin.locator('[data-testid="group-stats-page"] canvas').first().waitFor()
    assert.match(await groups.innerText(), /门店测试B群\s+李娜\s+3\s+1\s+2\s+6/)
    assert.match(await groups.innerText(), /门店测试A群\s+李娜\s+1\s+0\s+1\s+10/)
    await admin.waitForTimeout(1200)
    await screenshot(admin, 'group-stats')
    await groups.scrollIntoViewIfNeeded()
    await screenshot(admin, 'group-stats-groups')
    await admin.getByRole('tab', { name: '按群主' }).click()
    assert.match(await admin.getByTestId('group-stats-owners').innerText(), /李娜/)
    await admin.getByTestId('group-stats-owners').scrollIntoViewIfNeeded()
    await admin.waitForTimeout(1200)
    await screenshot(admin, 'group-stats-owners')

    // Filtered to the code: only its pool's groups; the CSV export (a download) carries the same figures.
    await admin.getByTestId('stats-code-filter').click()
    await admin.getByRole('option', { name: '静安寺店福利群' }).click()
    await admin.getByRole('tab', { name: '按群', exact: true }).click()
    await eventually(async () => (await groups.locator('tbody tr').count()) === 3)
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByTestId('group-stats-csv').click(),
    ])
    const { readFile } = await import('node:fs/promises')
    const csv = await readFile((await download.path())!, 'utf8')
    assert.match(download.suggestedFilename(), /^group-stats-.*\.csv$/)
    assert.ok(csv.includes(`门店测试B群,${chats.b},lina,3,1,2,6`), csv)
    assert.ok(!csv.includes('李娜的VIP福利群'), csv)
  })

  test('stores: the admin adds one in the form; the landing page shows the nearest QR, or a list', async () => {
    await admin.goto('/admin/stores')
    await admin.getByTestId('stores-page').waitFor()
    await admin.getByTestId('store-create').click()
    await admin.getByTestId('store-name').fill('静安寺店')
    await admin.getByTestId('store-address').fill('上海市静安区南京西路 1699 号')
    await admin.getByTestId('store-lat').locator('input').fill(String(STORE.lat))
    await admin.getByTestId('store-lng').locator('input').fill(String(STORE.lng))
    await admin.getByTestId('store-lng').locator('input').blur()
    await admin.getByTestId('store-submit').click()
    await admin.locator('.el-message--success').waitFor()
    // A second store 1,000 km away, through the API.
    const res = await admin.request.post('/api/admin/stores', {
      data: {
        name: '北京王府井店',
        address: '北京市东城区王府井大街 255 号',
        lat: 39.9147,
        lng: 116.4109,
        groupCodeId: codeId,
      },
    })
    assert.ok(res.ok(), await res.text())
    await admin.reload()
    await admin.getByTestId('store-table').locator('tbody tr').nth(1).waitFor()
    assert.match(await admin.getByTestId('store-table').innerText(), /静安寺店[\s\S]*31\.223500, 121\.445600/)
    await imageLoaded(admin, '[data-testid="store-table"] img.qr')
    await screenshot(admin, 'group-stores')

    const landing = async (geo: { latitude: number; longitude: number } | null, query = '') => {
      const context: BrowserContext = await newMobileContext(browser, server.baseUrl)
      if (geo) {
        await context.grantPermissions(['geolocation'])
        await context.setGeolocation(geo)
      }
      const page = await context.newPage()
      collectPageErrors(page, pageErrors)
      await page.goto(`/landing/${query}`)
      return page
    }

    // Near 静安寺: its QR straight away (the public PNG, no admin cookie in this context).
    const near = await landing(NEAR)
    await near.getByTestId('landing-store').waitFor()
    assert.equal(await near.getByTestId('landing-store-name').innerText(), '静安寺店')
    assert.match(await near.getByTestId('landing-store').innerText(), /距您 \d+ m/)
    await imageLoaded(near, '[data-testid="landing-qr"]')
    await screenshot(near, 'landing-nearest')
    // The public page stays small: none of the console's or the sidebar's libraries are loaded.
    const assets = await near.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))
    assert.deepEqual(
      assets.filter((a) => /element-plus|echarts|vant|wecom-jssdk|AdminLayout/i.test(a)),
      [],
    )
    await near.context().close()

    // In Beijing with ?radiusKm=1: 王府井 is ~1.2 km away, outside the radius, so a list closest first.
    const far = await landing(FAR, '?radiusKm=1')
    await far.getByTestId('landing-list').waitFor()
    assert.match(await far.getByTestId('landing-notice').innerText(), /1 公里内暂无门店/)
    const names = await far.locator('.store-row strong').allInnerTexts()
    assert.deepEqual(names, ['北京王府井店', '静安寺店'])
    await screenshot(far, 'landing-far-list')
    await far.locator('.store-row', { hasText: '静安寺店' }).click()
    await far.getByTestId('landing-store').waitFor()
    await imageLoaded(far, '[data-testid="landing-qr"]')
    await screenshot(far, 'landing-chosen')
    await far.context().close()

    // Same place with the default 3 km: 王府井 is the nearest.
    const beijing = await landing(FAR)
    await beijing.getByTestId('landing-store').waitFor()
    assert.equal(await beijing.getByTestId('landing-store-name').innerText(), '北京王府井店')
    await beijing.context().close()

    // No permission: the list, without distances.
    const denied = await landing(null)
    await denied.getByTestId('landing-list').waitFor()
    assert.match(await denied.getByTestId('landing-notice').innerText(), /定位/)
    assert.equal(await denied.locator('.store-row').count(), 2)
    assert.equal(await denied.locator('.store-row .km').count(), 0)
    await screenshot(denied, 'landing-denied')
    await denied.context().close()

    assert.deepEqual(pageErrors, [])
  })
})
