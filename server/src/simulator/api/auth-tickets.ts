// Identity and JS-SDK tickets: OAuth authorize page, auth/getuserinfo, jsapi and agent_config tickets.
import type { FastifyInstance } from 'fastify'
import type { SimulatedCorp } from '../corp.ts'
import { Err, fail } from '../errors.ts'
import type { ApiRoute } from '../http.ts'
import type { Ticket } from '../types.ts'

const HOUR_MS = 3_600_000
// WeCom caps ticket fetches per hour: ~400 per corp (jsapi), 100 per app (agent_config).
const TICKET_LIMITS = { corp: 400, agent: 100 } as const

function ticket(corp: SimulatedCorp, kind: 'corp' | 'agent'): Record<string, unknown> {
  const now = corp.nowMs()
  corp.data.ticketFetches = corp.data.ticketFetches.filter((f) => now - f.at_ms < HOUR_MS)
  if (corp.data.ticketFetches.filter((f) => f.kind === kind).length >= TICKET_LIMITS[kind])
    fail(Err.rateLimited, 'api freq out of limit')
  corp.data.ticketFetches.push({ kind, at_ms: now })
  const key = kind === 'corp' ? 'jsapiTicket' : 'agentTicket'
  let t: Ticket | undefined = corp.data[key]
  if (!t || t.expires_at_ms <= now) {
    t = {
      ticket: `${kind === 'corp' ? 'sM4AOVdWfPE4' : 'kgt8ON7yVITD'}${corp.ids.chars(60)}`,
      expires_at_ms: now + corp.options.ticketTtlMs,
    }
    corp.data[key] = t
  }
  return { ticket: t.ticket, expires_in: Math.ceil((t.expires_at_ms - now) / 1000) }
}

export const authTicketRoutes: ApiRoute[] = [
  { method: 'GET', path: '/cgi-bin/get_jsapi_ticket', handler: ({ corp }) => ticket(corp, 'corp') },
  {
    method: 'GET',
    path: '/cgi-bin/ticket/get',
    handler: ({ corp, query }) => {
      if (query.type !== 'agent_config') fail(Err.invalidType, 'invalid type')
      return ticket(corp, 'agent')
    },
  },
  {
    method: 'GET',
    path: '/cgi-bin/auth/getuserinfo',
    handler: ({ corp, query }) => {
      if (!query.code) fail(41008, 'missing code')
      const issued = corp.data.oauthCodes.get(query.code)
      // Single use: the code is gone after the first exchange.
      corp.data.oauthCodes.delete(query.code)
      if (!issued || corp.nowMs() - issued.issued_at_ms > corp.options.oauthCodeTtlMs)
        fail(Err.invalidCode, 'invalid code')
      return { userid: issued.userid }
    },
  },
]

export function issueOAuthCode(corp: SimulatedCorp, userid: string): string {
  const code = corp.ids.chars(43)
  corp.data.oauthCodes.set(code, { code, userid, issued_at_ms: corp.nowMs() })
  return code
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * Stand-in for https://open.weixin.qq.com/connect/oauth2/authorize: with `userid` it redirects at once
 * (tests), otherwise it shows the staff to pick from (demo).
 */
export function registerOAuthPage(app: FastifyInstance, corp: SimulatedCorp): void {
  app.get('/connect/oauth2/authorize', async (req, reply) => {
    const q = { ...(req.query as Record<string, string | undefined>) }
    // The simulated chat window says who is signed in to "WeCom" (as the real client knows): a cookie
    // it sets, so the sidebar's OAuth passes straight through as that member.
    if (!q.userid) {
      const remembered = /(?:^|;\s*)sim_wecom_user=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
      if (remembered && corp.data.staff.has(decodeURIComponent(remembered)))
        q.userid = decodeURIComponent(remembered)
    }
    const problem =
      q.appid !== corp.corpId
        ? '参数错误：appid 与企业 CorpID 不一致'
        : !q.redirect_uri
          ? '参数错误：缺少 redirect_uri'
          : q.response_type !== 'code'
            ? '参数错误：response_type 必须为 code'
            : !['snsapi_base', 'snsapi_privateinfo'].includes(q.scope ?? '')
              ? '参数错误：scope 无效'
              : undefined
    corp.calls.record({
      time: corp.nowMs(),
      method: 'GET',
      path: '/connect/oauth2/authorize',
      query: q as Record<string, string>,
      body: {},
      errcode: problem ? 40058 : 0,
      http_status: problem ? 400 : q.userid ? 302 : 200,
      duration_ms: 0,
    })
    if (problem)
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(`<p>${esc(problem)}</p>`)
    if (q.userid) {
      if (!corp.data.staff.has(q.userid))
        return reply.code(400).type('text/html; charset=utf-8').send('<p>成员不存在</p>')
      const target = new URL(q.redirect_uri!)
      target.searchParams.set('code', issueOAuthCode(corp, q.userid))
      target.searchParams.set('state', q.state ?? '')
      return reply.redirect(target.toString(), 302)
    }
    const links = [...corp.data.staff.values()]
      .filter((s) => !s.resigned)
      .map((s) => {
        const u = new URLSearchParams({ ...(q as Record<string, string>), userid: s.userid })
        return `<a class="who" href="?${esc(u.toString())}"><img src="${esc(s.avatar)}" alt=""><span>${esc(s.name)}<small>${esc(s.userid)}</small></span></a>`
      })
      .join('')
    return reply.type('text/html; charset=utf-8')
      .send(`<!doctype html><html lang="zh-CN"><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>企业微信授权（模拟）</title>
<style>body{font-family:system-ui,sans-serif;background:#f5f6f7;margin:0;padding:24px}h1{font-size:18px}
.who{display:flex;gap:12px;align-items:center;background:#fff;border-radius:8px;padding:12px;margin:8px 0;color:#222;text-decoration:none}
.who img{width:40px;height:40px;border-radius:6px;background:#dde}.who small{display:block;color:#888}</style>
<h1>模拟企业微信身份授权</h1><p>选择以哪位成员身份进入应用：</p>${links}</html>`)
  })
}
