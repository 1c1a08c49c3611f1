// End-to-end helpers: Debian's Chromium driven by playwright-core, against the real Fastify app
// (migrated throwaway SQLite, the built web app from sidebar-web/dist) listening on a free port.
import { existsSync } from 'node:fs'
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createTestApp, TEST_ADMIN, type TestApp } from '../../server/test/helpers/app.ts'
import { freePort } from '../../server/test/helpers/server-process.ts'
import { startSimulator, type RunningSimulator } from '../../server/src/simulator/index.ts'
import { createTestDatabase, type TestDatabase } from '../../server/test/helpers/databases.ts'
import { SIM_CALLBACK, simulatorEnv } from '../../server/test/helpers/simulated-corp.ts'
import { seedDemoContent } from '../../server/src/modules/products/demo-content.ts'

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

/**
 * Builds the real app on a fresh, migrated SQLite file with the test admin, listening on 127.0.0.1.
 * WeCom is the simulator on its own port, reached over real HTTP like the real one: a fresh demo corp,
 * or `prepared`, one the test set up itself (and closes itself), which then also posts signed callbacks
 * to the app, with workers on to process them.
 */
export async function startServer(
  env: Record<string, string> = {},
  prepared?: RunningSimulator,
): Promise<E2EServer> {
  if (!existsSync(join(WEB_DIST, 'admin/index.html')) || !existsSync(join(WEB_DIST, 'sidebar/index.html'))) {
    throw new Error('sidebar-web/dist is missing: run `pnpm --filter sidebar-web build` before the e2e tests')
  }
  const sim = prepared ?? (await startSimulator({ seed: 'demo' }))
  const db: TestDatabase = await createTestDatabase('sqlite')
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const t = await createTestApp(db.url, {
    ...simulatorEnv(sim, baseUrl),
    ...(prepared ? { WORKERS: 'true' } : {}),
    ...env,
  })
  await t.app.listen({ host: '127.0.0.1', port: Number(port) })
  if (prepared) sim.corp.callback = { url: `${baseUrl}/wecom/callback`, ...SIM_CALLBACK }
  return {
    baseUrl,
    app: t.app,
    sim,
    close: async () => {
      await t.close()
      if (!prepared) await sim.close()
      await db.drop()
    },
  }
}

/** startServer, then a full directory sync: the corp's staff, customers and groups are mirrored. */
export async function startSyncedServer(prepared?: RunningSimulator): Promise<E2EServer> {
  const server = await startServer({}, prepared)
  try {
    await server.app.directorySync.start()
    await server.app.directorySync.wait()
  } catch (err) {
    await server.close()
    throw err
  }
  return server
}

export interface MountedDemo {
  baseUrl: string
  app: TestApp['app']
  close(): Promise<void>
}

/**
 * The app as `pnpm start` runs it: the simulator mounted inside it (/simulator, the chat window), the
 * directory synced and the demo scripts and products seeded.
 */
export async function startMountedDemo(): Promise<MountedDemo> {
  const db = await createTestDatabase('sqlite')
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const t = await createTestApp(db.url, {
    PUBLIC_URL: baseUrl,
    WECOM_SIMULATOR: 'true',
    WECOM_API_BASE: `${baseUrl}/simulator`,
    WECOM_OAUTH_BASE: `${baseUrl}/simulator`,
  })
  const close = async () => {
    await t.close()
    await db.drop()
  }
  try {
    await t.app.listen({ host: '127.0.0.1', port: Number(port) })
    await t.app.directorySync.start()
    await t.app.directorySync.wait()
    await seedDemoContent(t.app)
  } catch (err) {
    await close()
    throw err
  }
  return { baseUrl, app: t.app, close }
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

/** A phone in WeCom's in-app browser, its fake bridge answering for the chat `bridge` describes. */
export async function newWeComContext(
  browser: Browser,
  baseURL: string,
  bridge: FakeBridgeOptions = {},
): Promise<BrowserContext> {
  const context = await newMobileContext(browser, baseURL, { wecom: true })
  await installFakeWeComBridge(context, bridge)
  return context
}

/** Opens the sidebar; without a session it goes through (simulated) WeCom OAuth as `userId`. */
export async function openSignedIn(page: Page, userId: string): Promise<void> {
  await page.goto('/sidebar/')
  await page.locator('a.who', { hasText: userId }).click()
  await page.waitForURL(/\/sidebar\/$/)
}

/**
 * The sidebar in the chat `bridge` describes, signed in as `userId` (lina by default). Page errors
 * are collected in `errors` when given. The caller closes the context.
 */
export async function openSidebarInChat(
  browser: Browser,
  baseURL: string,
  bridge: FakeBridgeOptions,
  opts: { userId?: string; errors?: string[] } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newWeComContext(browser, baseURL, bridge)
  const page = await context.newPage()
  if (opts.errors) collectPageErrors(page, opts.errors)
  await openSignedIn(page, opts.userId ?? 'lina')
  return { context, page }
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

export function collectPageErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (e) => errors.push(e.message))
}

/**
 * A desktop page signed in as the test admin through the real login form: it opens `path`, is sent
 * to the login, and waits to be back at `path` (the login page itself goes on to the dashboard).
 * Page errors are collected in `errors` when given.
 */
export async function openAdminPage(
  browser: Browser,
  baseURL: string,
  path: string,
  opts: { errors?: string[] } = {},
): Promise<Page> {
  const page = await (await newDesktopContext(browser, baseURL)).newPage()
  if (opts.errors) collectPageErrors(page, opts.errors)
  await page.goto(path)
  await loginThroughForm(page, TEST_ADMIN.username, TEST_ADMIN.password)
  await page.waitForURL(path === '/admin/login' ? /\/admin\/dashboard/ : `**${path}`)
  return page
}

/** Logs in through the real login form. */
export async function loginThroughForm(page: Page, username: string, password: string): Promise<void> {
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill(password)
  await page.getByTestId('login-submit').click()
}
