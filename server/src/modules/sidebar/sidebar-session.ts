// The advisor's identity in the sidebar: WeCom OAuth (snsapi_base) → auth/getuserinfo → userid, kept
// in a signed httpOnly cookie. Separate from the admin session: an advisor is not an admin.
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../../lib/errors.ts'
import { StaffEntity } from '../directory/staff.entity.ts'

declare module 'fastify' {
  interface FastifyInstance {
    startAdvisorSession(reply: FastifyReply, userId: string): void
    requireAdvisor(req: FastifyRequest): Promise<void>
  }
  interface FastifyRequest {
    advisor?: { userId: string; name: string }
  }
}

export const ADVISOR_COOKIE = 'scrm_advisor'
const TTL_MS = 8 * 3600_000

export default fp(
  async (app) => {
    app.decorateRequest('advisor', undefined)
    app.decorate('startAdvisorSession', (reply: FastifyReply, userId: string) => {
      const expires = Date.now() + TTL_MS
      reply.setCookie(ADVISOR_COOKIE, `${expires}.${userId}`, {
        path: '/',
        httpOnly: true,
        // The sidebar runs inside WeCom's webview, sometimes framed: the cookie must survive that.
        sameSite: app.config.publicUrl.startsWith('https:') ? 'none' : 'lax',
        secure: app.config.publicUrl.startsWith('https:'),
        signed: true,
        expires: new Date(expires),
      })
    })
    app.decorate('requireAdvisor', async (req: FastifyRequest) => {
      const raw = req.cookies[ADVISOR_COOKIE]
      const unsigned = raw ? req.unsignCookie(raw) : null
      const value = unsigned?.valid ? (unsigned.value ?? '') : ''
      const dot = value.indexOf('.')
      const expires = Number(value.slice(0, dot))
      const userId = value.slice(dot + 1)
      if (dot < 1 || !userId || !(expires > Date.now()))
        throw new AppError(401, 'advisor_unauthenticated', 'Open the sidebar from WeCom to sign in')
      const staff = await app.db.getRepository(StaffEntity).findOneBy({ userId })
      if (!staff)
        throw new AppError(403, 'not_an_advisor', `${userId} is not a customer-contact member of this corp`)
      req.advisor = { userId, name: staff.name }
    })
  },
  { name: 'sidebar-session', dependencies: ['auth', 'db'] },
)
