import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  db: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  version: Type.String(),
})

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    { logLevel: 'warn', schema: { tags: ['ops'], response: { 200: Health, 503: Health } } },
    async (_req, reply) => {
      let db: 'up' | 'down' = 'up'
      try {
        await app.db.query('SELECT 1')
      } catch {
        db = 'down'
      }
      return reply
        .status(db === 'up' ? 200 : 503)
        .send({ status: db === 'up' ? 'ok' : 'degraded', db, version: '0.1.0' })
    },
  )
}
