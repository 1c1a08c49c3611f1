import { randomBytes } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../../lib/errors.ts'
import { WeComApiError } from '../../wecom/errors.ts'

const STATE_COOKIE = 'scrm_oauth_state'
// Only our own sidebar pages are valid destinations after sign-in (no open redirect).
const SAFE_RETURN = /^\/sidebar\/[\w\-./?=&%]*$/

/** WeCom OAuth for the sidebar: /start redirects to WeCom, /callback turns the code into a session. */
export const sidebarAuthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { wecom, publicUrl } = app.config

  app.get(
    '/start',
    {
      schema: {
        tags: ['sidebar'],
        querystring: Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 512 })) }),
      },
    },
    async (req, reply) => {
      const returnTo =
        req.query.returnTo && SAFE_RETURN.test(req.query.returnTo) ? req.query.returnTo : '/sidebar/'
      const state = randomBytes(12).toString('hex')
      reply.setCookie(STATE_COOKIE, `${state}|${returnTo}`, {
        path: '/api/sidebar/auth',
        httpOnly: true,
        signed: true,
        maxAge: 600,
        sameSite: 'lax',
      })
      const redirect = new URL(`${publicUrl}/api/sidebar/auth/callback`)
      const url =
        `${wecom.oauthBase}/connect/oauth2/authorize?appid=${encodeURIComponent(wecom.corpId)}` +
        `&redirect_uri=${encodeURIComponent(redirect.toString())}&response_type=code&scope=snsapi_base` +
        `&agentid=${encodeURIComponent(wecom.agentId)}&state=${state}#wechat_redirect`
      return reply.redirect(url, 302)
    },
  )

  app.get(
    '/callback',
    {
      schema: {
        tags: ['sidebar'],
        querystring: Type.Object({
          code: Type.String({ minLength: 1, maxLength: 256 }),
          state: Type.String({ maxLength: 64 }),
        }),
      },
    },
    async (req, reply) => {
      const raw = req.cookies[STATE_COOKIE]
      const unsigned = raw ? req.unsignCookie(raw) : null
      const [state, returnTo] = unsigned?.valid && unsigned.value ? unsigned.value.split('|') : []
      if (!state || state !== req.query.state)
        throw new AppError(
          400,
          'oauth_state_mismatch',
          'Sign-in expired or was not started here; open the sidebar again',
        )
      let userId: string | undefined
      try {
        const res = await app.wecom.get<{ userid?: string; UserId?: string; openid?: string }>(
          'auth/getuserinfo',
          { code: req.query.code },
        )
        userId = res.userid ?? res.UserId
      } catch (err) {
        if (err instanceof WeComApiError && err.errcode === 40029)
          throw new AppError(
            400,
            'oauth_code_invalid',
            'The sign-in code expired or was used; open the sidebar again',
          )
        throw err
      }
      if (!userId) throw new AppError(403, 'not_a_member', 'Only members of this corp can use the sidebar')
      if (!(await app.directorySync.ensureStaff(userId)))
        throw new AppError(403, 'not_an_advisor', `${userId} has no customer-contact permission in this corp`)
      reply.clearCookie(STATE_COOKIE, { path: '/api/sidebar/auth' })
      app.startAdvisorSession(reply, userId)
      return reply.redirect(returnTo && SAFE_RETURN.test(returnTo) ? returnTo : '/sidebar/', 302)
    },
  )
}
