import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../../lib/errors.ts'
import { ADMIN_COOKIE } from '../../plugins/auth.ts'
import { AdminUser, ErrorBody, LoginBody } from '@scrm/shared'

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/login',
    {
      // Counts every attempt per client address: slows password guessing without a lockout to abuse.
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        body: LoginBody,
        response: { 200: Type.Object({ user: AdminUser }), 401: ErrorBody },
      },
    },
    async (req, reply) => {
      const user = await app.adminUsers.authenticate(req.body.username, req.body.password)
      if (!user) throw new AppError(401, 'invalid_credentials', 'Wrong username or password')
      app.startAdminSession(reply, user)
      return { user }
    },
  )

  app.post('/logout', { schema: { tags: ['auth'], response: { 204: Type.Null() } } }, async (_req, reply) => {
    reply.clearCookie(ADMIN_COOKIE, { path: '/' })
    return reply.status(204).send(null)
  })

  app.get(
    '/me',
    {
      onRequest: app.requireAdmin(),
      schema: { tags: ['auth'], response: { 200: Type.Object({ user: AdminUser }) } },
    },
    async (req) => ({ user: req.admin! }),
  )
}
