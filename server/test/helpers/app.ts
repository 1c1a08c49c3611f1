import { buildApp, type App, type BuildOptions } from '../../src/app.ts'
import { loadConfig, type AppConfig } from '../../src/config.ts'

export const TEST_ADMIN = { username: 'admin', password: 'correct-horse-battery' }

// Fake credentials for the tests' own corp; the callback key is any 43-char base64 string.
export const TEST_WECOM = {
  WECOM_CORP_ID: 'wwtestcorp0000001',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'test-secret-not-real',
  WECOM_CALLBACK_TOKEN: 'testtoken',
  WECOM_CALLBACK_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
}

export interface TestApp {
  app: App
  config: AppConfig
  close(): Promise<void>
}

export async function createTestApp(
  databaseUrl: string,
  env: Record<string, string> = {},
  opts: BuildOptions = {},
): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    WECOM_SIMULATOR: 'false',
    WECOM_API_BASE: 'http://127.0.0.1:9',
    SESSION_SECRET: 'test-session-secret-of-at-least-32-chars',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    WORKERS: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...TEST_WECOM,
    ...env,
  })
  const app = await buildApp(config, { migrate: true, wecom: { backoffBaseMs: 5 }, ...opts })
  try {
    await app.ready()
  } catch (err) {
    await app.close().catch(() => undefined)
    throw err
  }
  return { app, config, close: () => app.close() }
}

/** Logs in as the test admin and returns the Cookie header to send. */
export async function adminCookie(app: App): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/admin/auth/login', payload: TEST_ADMIN })
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`)
  const cookie = res.cookies.find((c) => c.name === 'scrm_admin')
  if (!cookie) throw new Error('no session cookie')
  return `scrm_admin=${cookie.value}`
}
