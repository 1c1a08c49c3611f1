// End-to-end helpers: Debian's Chromium driven by playwright-core, against the real Fastify app
// (migrated throwaway SQLite, the built web app from sidebar-web/dist) listening on a free port.
import { existsSync } from 'node:fs'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createTestApp, TEST_ADMIN, type TestApp } from '../../server/test/helpers/app.ts'
import { freePort } from '../../server/test/helpers/server-process.ts'
import { DEFAULT_SECRETS, startSimulator, type RunningSimulator } from '../../server/src/simulator/index.ts'
import { createTestDatabase, type TestDatabase } from '../../server/test/helpers/databases.ts'

// playwright-core is a dev dependency of the server package; resolve it from there.
const requireFromServer = createRequire(new URL('../../server/package.json', import.meta.url))
const { chromium } = requireFromServer('playwright-core') as typeof import('playwright-core')

export { TEST_ADMIN }

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
]

/** The user agent of WeCom's in-app browser; @wecom/jssdk reads the version from `wxwork/…`. */
export const WECOM_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
  'Mobile/15E148 wxwork/4.1.20 MicroMessenger/7.0.1 Language/zh ColorScheme/Light'

export const MOBILE_VIEWPORT = { width: 375, height: 812 }
export const DESKTOP_VIEWPORT = { width: 1440, height: 900 }

export const SHOTS_DIR = process.env.E2E_SHOTS_DIR ?? '/tmp/shots'
const WEB_DIST = new URL('../dist/', import.meta.url).pathname

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium fonts-noto-cjk`)
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
}

export interface E2EServer {
  baseUrl: string
  app: TestApp['app']
  sim: RunningSimulator
  close(): Promise<void>
}

/** Builds the real app on a fresh, migrated SQLite file with the test admin, listening on 127.0.0.1. */
export async function startServer(env: Record<string, string> = {}): Promise<E2EServer> {
  if (!existsSync(join(WEB_DIST, 'admin/index.html')) || !existsSync(join(WEB_DIST, 'sidebar/index.html'))) {
    throw new Error('sidebar-web/dist is missing: run `pnpm --filter sidebar-web build` before the e2e tests')
  }
  // WeCom is the simulator on its own port, reached over real HTTP like the real one.
  const sim = await startSimulator({ seed: 'demo' })
  const db: TestDatabase = await createTestDatabase('sqlite')
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const t = await createTestApp(db.url, {
    PUBLIC_URL: baseUrl,
    WECOM_API_BASE: sim.url,
    WECOM_OAUTH_BASE: sim.url,
    WECOM_CORP_ID: sim.corp.corpId,
    WECOM_SECRET: DEFAULT_SECRETS[0],
    ...env,
  })
  await t.app.listen({ host: '127.0.0.1', port: Number(port) })
  return {
    baseUrl,
    app: t.app,
    sim,
    close: async () => {
      await t.close()
      await sim.close()
      await db.drop()
    },
  }
}

export async function newDesktopContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: DESKTOP_VIEWPORT,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
}

export async function newMobileContext(
  browser: Browser,
  baseURL: string,
  opts: { wecom?: boolean } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: MOBILE_VIEWPORT,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    userAgent: opts.wecom ? WECOM_UA : undefined,
  })
}

export interface FakeBridgeOptions {
  entry?: string
  externalUserId?: string
  chatId?: string
}

export interface BridgeCall {
  name: string
  params: Record<string, unknown>
}

/**
 * Installs a fake `window.WeixinJSBridge` before any page script runs, as WeCom's host would.
 * Every call is recorded in `window.__bridgeCalls` and answered `{ err_msg: '<name>:ok', … }`.
 */
export async function installFakeWeComBridge(
  context: BrowserContext,
  opts: FakeBridgeOptions = {},
): Promise<void> {
  const answers = {
    getContext: { entry: opts.entry ?? 'single_chat_tools' },
    getCurExternalContact: { userId: opts.externalUserId ?? 'wmSimulatedCustomer0001' },
    getCurExternalChat: { chatId: opts.chatId ?? 'wrSimulatedGroup0001' },
  }
  await context.addInitScript((a: Record<string, Record<string, unknown>>) => {
    const calls: { name: string; params: unknown }[] = []
    ;(window as unknown as { __bridgeCalls: unknown }).__bridgeCalls = calls
    ;(window as unknown as { WeixinJSBridge: unknown }).WeixinJSBridge = {
      invoke(name: string, params: unknown, callback: (res: unknown) => void) {
        calls.push({ name, params })
        setTimeout(() => callback({ err_msg: `${name}:ok`, ...(a[name] ?? {}) }), 5)
      },
      on() {},
    }
  }, answers)
}

export async function bridgeCalls(page: Page): Promise<BridgeCall[]> {
  return page.evaluate(() => (window as unknown as { __bridgeCalls: BridgeCall[] }).__bridgeCalls ?? [])
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS_DIR, { recursive: true })
  const path = join(SHOTS_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage: false })
  return path
}

/** Logs in through the real login form. */
export async function loginThroughForm(page: Page, username: string, password: string): Promise<void> {
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill(password)
  await page.getByTestId('login-submit').click()
}
