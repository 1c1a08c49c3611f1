// The sidebar's real work in Chromium against the real server and the simulated corp: sign in through
// WeCom OAuth, the customer view in a 1v1 chat (add a tag → mark_tag reaches WeCom), one-tap script and
// product sends (the fake WeixinJSBridge receives sendChatMessage), and the group view in a group chat.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { BrowserContext, Page, Browser } from 'playwright-core'
import { seedDemoContent } from '../../server/src/modules/products/demo-content.ts'
import {
  bridgeCalls,
  launchBrowser,
  newWeComContext,
  openSignedIn,
  screenshot,
  startSyncedServer,
  type E2EServer,
  type FakeBridgeOptions,
} from './helpers.ts'

/** Opens the sidebar signed in as `userId` and waits for its shell. */
async function openShell(page: Page, userId: string): Promise<void> {
  await openSignedIn(page, userId)
  await page.getByTestId('sidebar-shell').waitFor()
}

const tab = (page: Page, title: string) =>
  page.getByTestId('sidebar-tabbar').getByText(title, { exact: true })

describe('chat sidebar: customer view, scripts, products and group view', () => {
  let server: E2EServer
  let browser: Browser
  let customerId: string
  let chatId: string

  before(async () => {
    server = await startSyncedServer()
    await seedDemoContent(server.app)
    browser = await launchBrowser()
    const customers = [...server.sim.corp.data.customers.values()]
    // A customer of lina's with a follow that is older than 30 days is not in the seed: any of hers will do.
    customerId = customers.find(
      (c) => c.follows.length === 1 && c.follows[0].userid === 'lina',
    )!.external_userid
    chatId = [...server.sim.corp.data.groups.values()].find((g) => g.owner === 'lina')!.chat_id
  })

  after(async () => {
    await browser?.close()
    await server?.close()
  })

  const context = (bridge: FakeBridgeOptions): Promise<BrowserContext> =>
    newWeComContext(browser, server.baseUrl, bridge)

  test('1v1: sign in, see the profile, add a tag, send a script and a product', async () => {
    const ctx = await context({ entry: 'single_chat_tools', externalUserId: customerId })
    const page = await ctx.newPage()
    await openShell(page, 'lina')
    const cookies = await ctx.cookies()
    assert.ok(
      cookies.some((c) => c.name === 'scrm_advisor' && c.httpOnly),
      'advisor session cookie',
    )

    const sim = server.sim.corp.data.customers.get(customerId)!
    await page.getByTestId('customer-profile').waitFor()
    assert.equal(await page.getByTestId('customer-name').innerText(), sim.name)
    const shownTags = await page
      .getByTestId('customer-tag')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-tag-id')))
    assert.deepEqual(shownTags.sort(), [...sim.follows[0].tag_ids].sort())
    await screenshot(page, 'sidebar-customer')

    // Add a tag in place: WeCom (the simulator) receives mark_tag for this advisor and customer.
    await page.getByTestId('tag-edit').click()
    await page.getByTestId('tag-picker').waitFor()
    const option = page.locator('[data-testid="tag-option"]:not(.on)').first()
    const tagId = (await option.getAttribute('data-tag-id'))!
    await option.click()
    await page.locator(`[data-testid="tag-option"][data-tag-id="${tagId}"].on`).waitFor()
    const mark = server.sim.corp.calls.list({ path: '/cgi-bin/externalcontact/mark_tag' }).at(-1)
    assert.deepEqual(mark?.body, { userid: 'lina', external_userid: customerId, add_tag: [tagId] })
    assert.ok(server.sim.corp.data.customers.get(customerId)!.follows[0].tag_ids.includes(tagId))
    await screenshot(page, 'sidebar-tag-picker')
    await page.keyboard.press('Escape')
    await page.locator('.van-popup__close-icon').click()
    await page.locator(`[data-testid="customer-tag"][data-tag-id="${tagId}"]`).waitFor()

    // A follow-up record.
    await page.getByTestId('note-input').locator('textarea').fill('周末来店试用修护精华')
    await page.getByTestId('note-save').click()
    await page.getByTestId('note-item').filter({ hasText: '周末来店试用修护精华' }).waitFor()

    // Scripts: ranked for this customer; one tap puts the text into the chat input.
    await tab(page, '话术').click()
    await page.getByTestId('script-item').first().waitFor()
    const first = page.getByTestId('script-item').first()
    const scriptId = Number(await first.getAttribute('data-script-id'))
    const script = await server.app.scripts.get(scriptId)
    await first.getByTestId('script-send').click()
    await page.locator('.van-toast', { hasText: '已放入输入框' }).waitFor()
    let calls = await bridgeCalls(page)
    const textSend = calls.filter((c) => c.name === 'sendChatMessage').at(-1)
    assert.equal(textSend?.params.msgtype, 'text')
    assert.deepEqual(textSend?.params.text, { content: script.content })
    assert.equal((await server.app.scripts.get(scriptId)).useCount, 1)
    await screenshot(page, 'sidebar-scripts')

    // Products: a link card (news) and a mini-program card, each recorded.
    await tab(page, '商品').click()
    const product = page.getByTestId('product-item').filter({ hasText: '修护精华液' })
    await product.waitFor()
    await product.getByTestId('product-send-news').click()
    await page.waitForFunction(
      () =>
        (window as unknown as { __bridgeCalls: { name: string }[] }).__bridgeCalls.filter(
          (c) => c.name === 'sendChatMessage',
        ).length >= 2,
    )
    await product.getByTestId('product-send-mini').click()
    await page.waitForFunction(
      () =>
        (window as unknown as { __bridgeCalls: { name: string }[] }).__bridgeCalls.filter(
          (c) => c.name === 'sendChatMessage',
        ).length >= 3,
    )
    calls = await bridgeCalls(page)
    const [news, mini] = calls.filter((c) => c.name === 'sendChatMessage').slice(-2)
    assert.equal(news.params.msgtype, 'news')
    const card = news.params.news as { title: string; link: string; desc: string; imgUrl: string }
    assert.equal(card.title, '修护精华液 30ml')
    assert.equal(card.link, 'https://shop.example.com/products/serum')
    assert.match(card.desc, /^¥299/)
    assert.equal(mini.params.msgtype, 'miniprogram')
    assert.deepEqual(
      { ...(mini.params.miniprogram as Record<string, unknown>), imgUrl: undefined },
      {
        appid: 'wx6f1d3a8e2b9c0d47',
        title: '修护精华液 30ml',
        page: 'pages/product/detail.html?sku=serum',
        imgUrl: undefined,
      },
    )
    const products = await server.app.products.list('修护精华液')
    assert.equal(products[0].sendCount, 2)
    const sends = await server.app.products.sendsTo('lina', customerId)
    assert.deepEqual(
      sends.map((s) => s.msgtype),
      ['miniprogram', 'news'],
    )
    await screenshot(page, 'sidebar-products')

    // Back on the customer tab the sends show up after a reload.
    await page.reload()
    await page.getByTestId('customer-profile').waitFor()
    await page.getByText('最近发送的商品').scrollIntoViewIfNeeded()
    await screenshot(page, 'sidebar-customer-after')
    await ctx.close()
  })

  test('another advisor’s customer is refused (403 shown, nothing sent)', async () => {
    const others = [...server.sim.corp.data.customers.values()].find(
      (c) => c.follows.length === 1 && c.follows[0].userid === 'zhangwei',
    )!.external_userid
    const ctx = await context({ entry: 'single_chat_tools', externalUserId: others })
    const page = await ctx.newPage()
    await openShell(page, 'lina')
    const err = page.getByTestId('customer-error')
    await err.waitFor()
    assert.match(await err.innerText(), /does not follow you/)
    await ctx.close()
  })

  test('group chat: the group view with members who are our customers, and a group script send', async () => {
    const ctx = await context({ entry: 'group_chat_tools', chatId })
    const page = await ctx.newPage()
    await openShell(page, 'lina')
    await page.getByTestId('group-panel').waitFor()
    const group = server.sim.corp.data.groups.get(chatId)!
    await page.getByTestId('group-name').waitFor()
    assert.equal(await page.getByTestId('group-name').innerText(), group.name)
    assert.match(
      await page.getByTestId('group-count').innerText(),
      new RegExp(`${group.member_list.length}\\s*/\\s*200`),
    )
    const externals = group.member_list.filter((m) => m.type === 2).length
    assert.equal(await page.getByTestId('group-member').count(), externals)
    assert.match(await tab(page, '客户群').innerText(), /客户群/)
    await screenshot(page, 'sidebar-group')

    await tab(page, '话术').click()
    await page.getByTestId('script-item').first().waitFor()
    await page.getByTestId('script-item').first().getByTestId('script-send').click()
    await page.locator('.van-toast', { hasText: '已放入输入框' }).waitFor()
    const calls = await bridgeCalls(page)
    assert.ok(calls.some((c) => c.name === 'getCurExternalChat'))
    assert.equal(calls.filter((c) => c.name === 'sendChatMessage').at(-1)?.params.msgtype, 'text')
    await ctx.close()
  })
})
