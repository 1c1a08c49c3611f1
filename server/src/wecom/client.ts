// The one client for every WeCom server API call: token cache, rate limit, retries, typed errors.
import { createHash } from 'node:crypto'
import axios, { type AxiosInstance } from 'axios'
import type { FastifyBaseLogger } from 'fastify'
import { backoffDelay, sleep } from '../lib/time.ts'
import type { CredentialStore } from './credential-store.ts'
import { TOKEN_ERRCODES, TRANSIENT_ERRCODES, WeComApiError, WeComUnavailableError } from './errors.ts'
import { RateLimiter } from './rate-limiter.ts'

export interface WeComClientOptions {
  apiBase: string
  corpId: string
  secret: string
  credentials: CredentialStore
  log: FastifyBaseLogger
  timeoutMs?: number
  maxAttempts?: number
  backoffBaseMs?: number
  perMinute?: number
  maxConcurrent?: number
}

export interface WeComResponse {
  errcode: number
  errmsg: string
}

type Query = Record<string, string | number | undefined>

export class WeComClient {
  private readonly http: AxiosInstance
  private readonly limiter: RateLimiter
  private readonly maxAttempts: number
  private readonly backoffBaseMs: number
  private readonly tokenKey: string

  constructor(private readonly opts: WeComClientOptions) {
    this.http = axios.create({
      baseURL: `${opts.apiBase}/cgi-bin/`,
      timeout: opts.timeoutMs ?? 10_000,
      validateStatus: () => true,
      // WeCom's API never redirects; without redirects axios uses plain http(s) instead of follow-redirects.
      maxRedirects: 0,
    })
    this.limiter = new RateLimiter(opts.perMinute ?? 9_000, opts.maxConcurrent ?? 32)
    this.maxAttempts = opts.maxAttempts ?? 5
    this.backoffBaseMs = opts.backoffBaseMs ?? 200
    this.tokenKey = `access_token:${opts.corpId}:${createHashKey(opts.secret)}`
  }

  get<T extends object = Record<string, unknown>>(
    path: string,
    query: Query = {},
  ): Promise<T & WeComResponse> {
    return this.call<T>('GET', path, query)
  }

  post<T extends object = Record<string, unknown>>(
    path: string,
    body: unknown,
    query: Query = {},
  ): Promise<T & WeComResponse> {
    return this.call<T>('POST', path, query, body)
  }

  accessToken(): Promise<string> {
    return this.opts.credentials.get(this.tokenKey, async () => {
      const res = await this.raw<{ access_token: string; expires_in: number }>('GET', 'gettoken', {
        corpid: this.opts.corpId,
        corpsecret: this.opts.secret,
      })
      return { value: res.access_token, expiresInSec: res.expires_in }
    })
  }

  /** A call with the access token; refreshes the token once when WeCom says it is invalid or expired. */
  private async call<T>(method: 'GET' | 'POST', path: string, query: Query, body?: unknown) {
    let token = await this.accessToken()
    try {
      return await this.raw<T>(method, path, { ...query, access_token: token }, body)
    } catch (err) {
      if (!(err instanceof WeComApiError) || !TOKEN_ERRCODES.has(err.errcode)) throw err
      this.opts.log.info({ path, errcode: err.errcode }, 'WeCom token rejected; refreshing once')
      await this.opts.credentials.invalidate(this.tokenKey, token)
      token = await this.accessToken()
      return this.raw<T>(method, path, { ...query, access_token: token }, body)
    }
  }

  /** One logical request with backoff on transient failures. Never logs the token or the secret. */
  private async raw<T>(
    method: 'GET' | 'POST',
    path: string,
    params: Query,
    data?: unknown,
  ): Promise<T & WeComResponse> {
    let lastReason = ''
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const release = await this.limiter.acquire(path)
      let outcome: { retry: false; value: T & WeComResponse } | { retry: true; reason: string }
      try {
        outcome = await this.once<T>(method, path, params, data)
      } finally {
        release()
      }
      if (!outcome.retry) return outcome.value
      lastReason = outcome.reason
      if (attempt < this.maxAttempts) {
        const delay = backoffDelay(this.backoffBaseMs, attempt)
        this.opts.log.warn({ path, attempt, reason: lastReason, delay }, 'WeCom call failed; backing off')
        await sleep(delay)
      }
    }
    if (/^errcode /.test(lastReason)) {
      const [, code, ...msg] = lastReason.split(' ')
      throw new WeComApiError(path, Number(code), msg.join(' '))
    }
    throw new WeComUnavailableError(path, lastReason)
  }

  private async once<T>(method: 'GET' | 'POST', path: string, params: Query, data?: unknown) {
    try {
      const res = await this.http.request<T & WeComResponse>({ method, url: path, params, data })
      if (res.status >= 500) return { retry: true as const, reason: `http ${res.status}` }
      if (res.status !== 200 || typeof res.data !== 'object' || res.data === null)
        throw new WeComApiError(path, -2, `unexpected HTTP ${res.status}`)
      const errcode = Number(res.data.errcode ?? 0)
      if (errcode === 0) return { retry: false as const, value: res.data }
      if (TRANSIENT_ERRCODES.has(errcode))
        return { retry: true as const, reason: `errcode ${errcode} ${res.data.errmsg}` }
      throw new WeComApiError(path, errcode, res.data.errmsg ?? '')
    } catch (err) {
      if (err instanceof WeComApiError) throw err
      const e = err as { code?: string; message?: string }
      return { retry: true as const, reason: e.code ?? e.message ?? 'network error' }
    }
  }
}

// The cache key must change when the secret changes, without putting the secret itself in the key.
function createHashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16)
}
