// Typed configuration, read only from the environment (and .env), validated once at start.
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'

export interface WeComConfig {
  corpId: string
  agentId: string
  secret: string
  callbackToken: string
  callbackAesKey: string
  apiBase: string
  oauthBase: string
}

export interface AppConfig {
  port: number
  host: string
  env: 'development' | 'production' | 'test'
  logLevel: string
  databaseUrl: string
  publicUrl: string
  sessionSecret: string
  simulator: boolean
  wecom: WeComConfig
  initialAdmin?: { username: string; password: string }
  webDist: string
  /** Background dispatcher and scheduler; tests switch them off to drive them by hand. */
  workers: boolean
  /** How long a claimed inbox row stays with its instance before another may take it over. */
  inboxLeaseMs: number
  /** Files behind image/file scripts, kept to re-upload them before WeCom's 3-day media expiry. */
  mediaDir: string
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

type Env = Record<string, string | undefined>

const ROOT = resolve(import.meta.dirname, '../..')

function parseBool(name: string, raw: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined || raw === '') return fallback
  if (/^(1|true|yes|on)$/i.test(raw)) return true
  if (/^(0|false|no|off)$/i.test(raw)) return false
  problems.push(`${name} must be true or false, got "${raw}"`)
  return fallback
}

function checkDatabaseUrl(url: string, problems: string[]) {
  if (url.startsWith('sqlite:')) return
  try {
    const u = new URL(url)
    if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') throw new Error()
    if (!u.pathname.slice(1))
      problems.push('DATABASE_URL must name a database, e.g. mysql://root@127.0.0.1:3306/scrm')
  } catch {
    problems.push(
      `DATABASE_URL must be mysql://user:pass@host:3306/db or sqlite:./data/scrm.sqlite, got "${url}"`,
    )
  }
}

function checkUrl(name: string, value: string, problems: string[]) {
  try {
    const u = new URL(value)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error()
  } catch {
    problems.push(`${name} must be an http(s) URL, got "${value}"`)
  }
}

/** Builds the config from an environment map; throws ConfigError naming every bad or missing variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = []
  const nodeEnv = (env.NODE_ENV ?? 'development') as AppConfig['env']
  if (!['development', 'production', 'test'].includes(nodeEnv))
    problems.push(`NODE_ENV must be development, production or test, got "${env.NODE_ENV}"`)

  const port = Number(env.PORT ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`PORT must be an integer 0-65535, got "${env.PORT}"`)

  const databaseUrl = env.DATABASE_URL || 'sqlite:./data/scrm.sqlite'
  checkDatabaseUrl(databaseUrl, problems)

  const simulator = parseBool('WECOM_SIMULATOR', env.WECOM_SIMULATOR, nodeEnv !== 'production', problems)
  const publicUrl = (env.PUBLIC_URL || `http://127.0.0.1:${port}`).replace(/\/$/, '')
  checkUrl('PUBLIC_URL', publicUrl, problems)

  // With the simulator on, WeCom credentials may be left out: the simulator's fake corp gets fresh
  // random ones each start, so nothing secret-looking ever lives in the repo.
  const pick = (name: string, simulated: () => string): string => {
    const v = env[name]
    if (v) return v
    if (simulator) return simulated()
    problems.push(`${name} is required when WECOM_SIMULATOR is off`)
    return ''
  }
  const wecom: WeComConfig = {
    corpId: pick('WECOM_CORP_ID', () => 'wwsimulated0000001'),
    agentId: pick('WECOM_AGENT_ID', () => '1000002'),
    secret: pick('WECOM_SECRET', () => randomBytes(24).toString('base64url')),
    callbackToken: pick('WECOM_CALLBACK_TOKEN', () => randomBytes(12).toString('base64url')),
    callbackAesKey: pick('WECOM_CALLBACK_AES_KEY', () => randomBytes(32).toString('base64').slice(0, 43)),
    apiBase: (
      env.WECOM_API_BASE || (simulator ? `${publicUrl}/simulator` : 'https://qyapi.weixin.qq.com')
    ).replace(/\/$/, ''),
    oauthBase: (
      env.WECOM_OAUTH_BASE || (simulator ? `${publicUrl}/simulator` : 'https://open.weixin.qq.com')
    ).replace(/\/$/, ''),
  }
  if (wecom.callbackAesKey && !/^[A-Za-z0-9+/]{43}$/.test(wecom.callbackAesKey))
    problems.push('WECOM_CALLBACK_AES_KEY must be the 43-character EncodingAESKey from the WeCom console')
  if (wecom.agentId && !/^\d+$/.test(wecom.agentId)) problems.push('WECOM_AGENT_ID must be a number')
  checkUrl('WECOM_API_BASE', wecom.apiBase, problems)
  checkUrl('WECOM_OAUTH_BASE', wecom.oauthBase, problems)

  let sessionSecret = env.SESSION_SECRET ?? ''
  if (!sessionSecret && nodeEnv !== 'production') sessionSecret = randomBytes(32).toString('hex')
  if (sessionSecret.length < 32) problems.push('SESSION_SECRET must be at least 32 characters')

  let initialAdmin: AppConfig['initialAdmin']
  if (env.ADMIN_USERNAME || env.ADMIN_PASSWORD) {
    if (!env.ADMIN_USERNAME) problems.push('ADMIN_USERNAME is required when ADMIN_PASSWORD is set')
    if (!env.ADMIN_PASSWORD || env.ADMIN_PASSWORD.length < 8)
      problems.push('ADMIN_PASSWORD must be at least 8 characters')
    initialAdmin = { username: env.ADMIN_USERNAME ?? '', password: env.ADMIN_PASSWORD ?? '' }
  }

  const workers = parseBool('WORKERS', env.WORKERS, true, problems)
  if (env.INBOX_LEASE_SECONDS && !(Number(env.INBOX_LEASE_SECONDS) >= 1))
    problems.push(`INBOX_LEASE_SECONDS must be a number of seconds ≥ 1, got "${env.INBOX_LEASE_SECONDS}"`)
  if (problems.length) throw new ConfigError(problems)
  return {
    port,
    host: env.HOST || '0.0.0.0',
    env: nodeEnv,
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    databaseUrl,
    publicUrl,
    sessionSecret,
    simulator,
    wecom,
    initialAdmin,
    webDist: resolve(ROOT, env.WEB_DIST || 'sidebar-web/dist'),
    workers,
    inboxLeaseMs: Number(env.INBOX_LEASE_SECONDS || 60) * 1000,
    mediaDir: resolve(ROOT, env.MEDIA_DIR || 'data/media'),
  }
}
