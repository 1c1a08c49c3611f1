import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { NearestStoreQuery, NearestStores } from '@scrm/shared'
import { notFound } from '../../lib/errors.ts'

const limit = { rateLimit: { max: 60, timeWindow: '1 minute' } }

/** Public (no session): the store landing page (附近门店群). Rate-limited per client IP. */
export const groupPublicRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { codes, stores } = app.groups

  app.get(
    '/stores/nearest',
    {
      config: limit,
      schema: { tags: ['public'], querystring: NearestStoreQuery, response: { 200: NearestStores } },
    },
    async (req) => stores.nearest(req.query.lat, req.query.lng, req.query.radiusKm ?? 3),
  )
  app.get(
    '/group-codes/:id/qr.png',
    {
      config: limit,
      schema: {
        tags: ['public'],
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      },
    },
    async (req, reply) => {
      if (!(await stores.isPublicCode(req.params.id))) throw notFound(`group code ${req.params.id}`)
      const qr = await codes.qrPng(req.params.id)
      return reply.type(qr.type).header('cache-control', 'public, max-age=300').send(qr.png)
    },
  )
}
