import cookie from '@fastify/cookie'
import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../lib/errors.ts'
import type { AdminRole } from '../modules/auth/admin-user.entity.ts'
import { AdminUserService, type PublicAdminUser } from '../modules/auth/admin-user.service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    adminUsers: AdminUserService
    startAdminSession(reply: FastifyReply, user: PublicAdminUser): void
    requireAdmin(role?: AdminRole): (req: FastifyRequest) => Promise<void>
  }
  interface FastifyRequest {
    admin?: PublicAdminUser
  }
}

export const ADMIN_COOKIE = 'scrm_admin'
const SESSION_TTL_MS = 12 * 3600_000

export default fp(
  async (app) => {
    await app.register(cookie, { secret: app.config.sessionSecret })
    app.decorate('adminUsers', new AdminUserService(app.db))
    app.decorateRequest('admin', undefined)

    app.decorate('startAdminSession', (reply: FastifyReply, user: PublicAdminUser) => {
      const expires = Date.now() + SESSION_TTL_MS
      reply.setCookie(ADMIN_COOKIE, `${user.id}.${expires}`, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.publicUrl.startsWith('https:'),
        signed: true,
        expires: new Date(expires),
      })
    })

    // The user is reloaded on every request, so a deleted user or a changed role takes effect at once.
    app.decorate('requireAdmin', (role?: AdminRole) => async (req: FastifyRequest) => {
      const raw = req.cookies[ADMIN_COOKIE]
      const unsigned = raw ? req.unsignCookie(raw) : null
      const [id, expires] = unsigned?.valid && unsigned.value ? unsigned.value.split('.').map(Number) : []
      if (!id || !expires || expires < Date.now())
        throw new AppError(401, 'unauthenticated', 'Login required')
      const user = await app.adminUsers.findById(id)
      if (!user) throw new AppError(401, 'unauthenticated', 'Login required')
      if (role === 'admin' && user.role !== 'admin')
        throw new AppError(403, 'forbidden', 'Admin role required')
      req.admin = user
    })

    await ensureInitialAdmin(app.adminUsers, app.config.initialAdmin, app.log)
  },
  { name: 'auth', dependencies: ['db'] },
)

async function ensureInitialAdmin(
  users: AdminUserService,
  initial: { username: string; password: string } | undefined,
  log: { info(o: object, m: string): void },
) {
  if (!initial || (await users.count()) > 0) return
  await users.create(initial.username, initial.password, 'admin')
  log.info({ username: initial.username }, 'created the first admin user from ADMIN_USERNAME')
}
