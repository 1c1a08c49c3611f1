// The one wrapper every simulated API route goes through: token check, fault injection, call log,
// and WeCom's answer shape (`{ errcode, errmsg, … }` with HTTP 200).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { SimulatedCorp } from './corp.ts'
import { Err, WecomApiError, fail } from './errors.ts'
import { faultErrmsg } from './faults.ts'
import { boundaryOf, parseMultipart, type FormPart } from './multipart.ts'

export interface ApiContext {
  corp: SimulatedCorp
  query: Record<string, string>
  // WeCom bodies are loosely typed JSON; each handler validates what it reads.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
  parts: FormPart[]
  req: FastifyRequest
  reply: FastifyReply
  /** Where this simulator is reachable (scheme://host[:port]/prefix), for qr_code and media URLs. */
  baseUrl: string
}

export type ApiResult = Record<string, unknown> | void
export type ApiHandler = (ctx: ApiContext) => ApiResult | Promise<ApiResult>

export interface ApiRoute {
  method: 'GET' | 'POST'
  path: string
  /** Requires a valid access_token (default true). */
  auth?: boolean
  handler: ApiHandler
}

export function moreInfo(errcode: number, errmsg: string): string {
  return errcode === 0
    ? errmsg
    : `${errmsg}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`
}

export function baseUrlOf(req: FastifyRequest, prefix: string): string {
  return `${req.protocol}://${req.host}${prefix}`
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function checkToken(corp: SimulatedCorp, token: string | undefined): void {
  if (!token) fail(Err.missingToken, 'access_token missing')
  const found = corp.data.tokens.get(token)
  if (!found) fail(Err.invalidToken, 'invalid access_token')
  if (found.expires_at_ms <= corp.nowMs()) fail(Err.tokenExpired, 'access_token expired')
}

function readBody(req: FastifyRequest): { body: unknown; parts: FormPart[] } {
  const raw = req.body
  if (!Buffer.isBuffer(raw) || raw.length === 0) return { body: {}, parts: [] }
  const boundary = boundaryOf(req.headers['content-type'])
  if (boundary) {
    const parts = parseMultipart(raw, boundary)
    return {
      body: { multipart: parts.map((p) => ({ name: p.name, filename: p.filename, size: p.data.length })) },
      parts,
    }
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')), parts: [] }
  } catch {
    return { body: raw.toString('utf8'), parts: [] }
  }
}

export function registerApi(app: FastifyInstance, corp: SimulatedCorp, routes: ApiRoute[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path,
      handler: (req, reply) => runApi(app, corp, route, req, reply),
    })
  }
}

async function runApi(
  app: FastifyInstance,
  corp: SimulatedCorp,
  route: ApiRoute,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  const started = Date.now()
  const { access_token, ...query } = req.query as Record<string, string>
  const { body, parts } = readBody(req)
  const log = (errcode: number | null, http_status: number, fault?: string) =>
    corp.calls.record({
      time: corp.nowMs(),
      method: req.method,
      path: route.path,
      query,
      body,
      errcode,
      http_status,
      fault,
      duration_ms: Date.now() - started,
    })

  const rule = corp.faults.take(route.path)
  if (rule?.kind === 'latency') await sleep(rule.ms ?? 1000)
  if (rule?.kind === 'errcode') {
    const errcode = rule.errcode ?? Err.systemBusy
    log(errcode, 200, 'errcode')
    return reply.send({ errcode, errmsg: moreInfo(errcode, faultErrmsg(rule)) })
  }
  if (rule?.kind === 'http5xx') {
    log(null, rule.status ?? 503, 'http5xx')
    return reply
      .code(rule.status ?? 503)
      .type('text/html')
      .send('<html><body>503 Service Unavailable</body></html>')
  }
  if (rule?.kind === 'drop') {
    log(null, 0, rule.hang ? 'hang' : 'drop')
    reply.hijack()
    const socket = req.raw.socket
    if (rule.hang) setTimeout(() => socket.destroy(), rule.ms ?? 60_000).unref()
    else socket.destroy()
    return
  }

  try {
    if (route.auth !== false) checkToken(corp, access_token)
    if (typeof body === 'string') fail(Err.dataFormat, 'data format error')
    const ctx: ApiContext = { corp, query, body, parts, req, reply, baseUrl: baseUrlOf(req, app.prefix) }
    const out = await route.handler(ctx)
    if (reply.sent) {
      log(0, reply.statusCode, rule?.kind)
      return reply
    }
    log(0, 200, rule?.kind)
    return reply.send({ errcode: 0, errmsg: 'ok', ...(out ?? {}) })
  } catch (err) {
    if (!(err instanceof WecomApiError)) throw err
    log(err.errcode, 200, rule?.kind)
    return reply.send({ errcode: err.errcode, errmsg: moreInfo(err.errcode, err.errmsg) })
  }
}

// ── small validators shared by handlers ──
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined
}

export function requireStr(v: unknown, errcode: number, what: string): string {
  const s = str(v)
  if (!s) fail(errcode, `${what} missing`)
  return s
}

export function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

/** WeCom measures `state`, names, etc. in UTF-8 characters. */
export function charLen(s: string): number {
  return [...s].length
}

/** Cursor pagination over a list: cursor is an opaque base64 offset, like WeCom's opaque strings. */
export function page<T>(list: T[], cursor: unknown, limit: number): { items: T[]; next_cursor: string } {
  let offset = 0
  if (typeof cursor === 'string' && cursor !== '') {
    const m = /^sim:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (!m) fail(Err.invalidCursor, 'invalid cursor')
    offset = Number(m[1])
  }
  const items = list.slice(offset, offset + limit)
  const end = offset + items.length
  return { items, next_cursor: end < list.length ? Buffer.from(`sim:${end}`).toString('base64url') : '' }
}
