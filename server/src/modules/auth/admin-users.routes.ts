import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AdminRole, AdminUser } from '@scrm/shared'

/** 系统用户: every admin may list the console's users; only the `admin` role may add one. */
export const adminUsersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      onRequest: app.requireAdmin(),
      schema: { tags: ['auth'], response: { 200: Type.Object({ items: Type.Array(AdminUser) }) } },
    },
    async () => ({ items: await app.adminUsers.list() }),
  )

  app.post(
    '/',
    {
      onRequest: app.requireAdmin('admin'),
      schema: {
        tags: ['auth'],
        body: Type.Object({
          username: Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' }),
          password: Type.String({ minLength: 8, maxLength: 256 }),
          role: AdminRole,
        }),
        response: { 201: Type.Object({ user: AdminUser }) },
      },
    },
    async (req, reply) => {
      const user = await app.adminUsers.create(req.body.username, req.body.password, req.body.role)
      return reply.status(201).send({ user })
    },
  )
}
