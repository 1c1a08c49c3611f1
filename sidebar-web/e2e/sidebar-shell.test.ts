// The chat sidebar against the real server: the outside-WeCom state, and the shell inside WeCom
// (a WeCom user agent plus a fake WeixinJSBridge standing in for the WeCom host).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { jsApiSignature } from '../../server/src/wecom/crypto.ts'
import {
  bridgeCalls,
  launchBrowser,
  newMobileContext,
  newWeComContext,
  openSignedIn,
  screenshot,
  startServer,
  type E2EServer,
} from './helpers.ts'

describe('chat sidebar shell', () => {
  let server: E2EServer
  let browser: Browser

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })

  after(async () => {
    await browser?.close()
    await server?.close()
  })

  test('outside WeCom it asks to be opened from the chat toolbar and points to the simulator', async () => {
    const context = await newMobileContext(browser, server.baseUrl)
    const page = await context.newPage()
    const scripts: string[] = []
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()))
    await page.goto('/sidebar/')
    const hint = page.getByTestId('outside-wecom')
    await hint.waitFor()
    assert.match(await hint.innerText(), /请在企业微信聊天工具栏中打开/)
    assert.match(await page.getByTestId('simulator-hint').innerText(), /模拟聊天窗口/)
    // The sidebar never loads the admin console or Element Plus.
    assert.ok(scripts.length > 0)
    assert.deepEqual(
      scripts.filter((s) => /element-plus|admin|echarts/i.test(s)),
      [],
    )
    await screenshot(page, 'sidebar-outside-wecom')
    await context.close()
  })

  test('inside WeCom it shows the shell with the tab bar and the detected chat entry', async () => {
    const context = await newWeComContext(browser, server.baseUrl, {
      entry: 'single_chat_tools',
      externalUserId: 'wmE2ECustomer001',
    })
    const page = await context.newPage()
    await openSignedIn(page, 'lina')
    await page.getByTestId('sidebar-shell').waitFor()
    const tabs = await page.getByTestId('sidebar-tabbar').innerText()
    assert.match(tabs.replace(/\s+/g, ' '), /客户 话术 商品/)

    const entry = page.getByTestId('context-entry')
    await entry.waitFor()
    assert.equal(await entry.getAttribute('data-entry'), 'single_chat_tools')
    assert.match(await entry.innerText(), /单聊工具栏/)
    assert.equal(await page.getByTestId('context-target').innerText(), 'wmE2ECustomer001')

    // The SDK took the agentConfig path with the server's signature before asking for the contact.
    const calls = await bridgeCalls(page)
    const names = calls.map((c) => c.name)
    assert.ok(names.includes('agentConfig'), `bridge calls: ${names.join(', ')}`)
    assert.ok(names.indexOf('agentConfig') < names.indexOf('getCurExternalContact'))
    // …and that signature is the real one: the agent ticket (from the simulated WeCom) over this page's URL.
    const agent = calls.find((c) => c.name === 'agentConfig')!.params as {
      timestamp: number
      nonceStr: string
      signature: string
      corpid: string
    }
    const ticket = await server.app.jsSdk.ticket('agent')
    const expected = jsApiSignature(
      ticket,
      `${server.baseUrl}/sidebar/`,
      agent.nonceStr,
      Number(agent.timestamp),
    ).signature
    assert.equal(agent.signature, expected)
    assert.equal(agent.corpid, server.sim.corp.corpId)

    await page.getByTestId('sidebar-tabbar').getByText('话术').click()
    await page.getByTestId('scripts-panel').waitFor()
    await page.getByTestId('sidebar-tabbar').getByText('客户').click()
    await screenshot(page, 'sidebar-wecom-shell')
    await context.close()
  })

  test('inside WeCom, a failed signature lookup is shown, not hidden', async () => {
    const context = await newWeComContext(browser, server.baseUrl)
    await context.route('**/api/sidebar/jssdk/**', (r) =>
      r.fulfill({ status: 500, json: { statusCode: 500, code: 'internal', message: 'ticket unavailable' } }),
    )
    const page = await context.newPage()
    await openSignedIn(page, 'lina')
    const error = page.getByTestId('context-error')
    await error.waitFor()
    assert.match(await error.innerText(), /无法识别会话/)
    await page.getByTestId('sidebar-tabbar').waitFor()
    await context.close()
  })
})
