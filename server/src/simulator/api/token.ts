// gettoken: one token per secret, reused while valid (WeCom returns the same token within its lifetime).
import { Err, fail } from '../errors.ts'
import type { ApiRoute } from '../http.ts'

export const tokenRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/cgi-bin/gettoken',
    auth: false,
    handler: ({ corp, query }) => {
      if (!query.corpid) fail(Err.missingCorpId, 'corpid missing')
      if (query.corpid !== corp.corpId) fail(Err.invalidCorpId, 'invalid corpid')
      if (!query.corpsecret) fail(Err.missingSecret, 'corpsecret missing')
      if (!corp.options.secrets.includes(query.corpsecret)) fail(Err.invalidSecret, 'invalid credential')
      const now = corp.nowMs()
      let current = [...corp.data.tokens.values()].find(
        (t) => t.secret === query.corpsecret && t.expires_at_ms > now,
      )
      if (!current) {
        current = {
          token: corp.ids.chars(64),
          secret: query.corpsecret,
          expires_at_ms: now + corp.options.tokenTtlMs,
        }
        corp.data.tokens.set(current.token, current)
      }
      return {
        access_token: current.token,
        expires_in: Math.max(1, Math.ceil((current.expires_at_ms - now) / 1000)),
      }
    },
  },
]
