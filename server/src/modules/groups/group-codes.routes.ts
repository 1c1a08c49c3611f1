import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  ErrorBody,
  GroupCodeDetail,
  GroupCodeInput,
  GroupCodeList,
  GroupStats,
  GroupStatsQuery,
  StoreInput,
  StoreItem,
  StoreList,
} from '@scrm/shared'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const Ok = Type.Object({ ok: Type.Boolean() })
const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 502: ErrorBody }

/** Admin: group codes (群活码), group stats (群统计) and stores (门店). */
export const groupAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdmin())
  const { codes, stats, stores } = app.groups

  app.get('/group-codes', { schema: { tags: ['groups'], response: { 200: GroupCodeList } } }, async () => ({
    items: await codes.list(),
  }))
  app.post(
    '/group-codes',
    { schema: { tags: ['groups'], body: GroupCodeInput, response: { 201: GroupCodeDetail, ...errors } } },
    async (req, reply) => reply.status(201).send(await codes.create(req.body)),
  )
  app.get(
    '/group-codes/:id',
    { schema: { tags: ['groups'], params: IdParams, response: { 200: GroupCodeDetail, 404: ErrorBody } } },
    async (req) => codes.get(req.params.id),
  )
  app.put(
    '/group-codes/:id',
    {
      schema: {
        tags: ['groups'],
        params: IdParams,
        body: GroupCodeInput,
        response: { 200: GroupCodeDetail, ...errors },
      },
    },
    async (req) => codes.update(req.params.id, req.body),
  )
  app.delete(
    '/group-codes/:id',
    { schema: { tags: ['groups'], params: IdParams, response: { 200: Ok, ...errors } } },
    async (req) => {
      await codes.remove(req.params.id)
      return { ok: true }
    },
  )
  // The WeCom qr_code URL is fetched by our server: the browser never talks to WeCom, and the
  // download gets a sensible file name.
  app.get(
    '/group-codes/:id/qr.png',
    {
      schema: {
        tags: ['groups'],
        params: IdParams,
        querystring: Type.Object({ download: Type.Optional(Type.Boolean()) }),
      },
    },
    async (req, reply) => {
      const qr = await codes.qrPng(req.params.id)
      reply.type(qr.type).header('cache-control', 'private, max-age=300')
      if (req.query.download)
        reply.header(
          'content-disposition',
          `attachment; filename="group-code-${req.params.id}.png"; filename*=UTF-8''${encodeURIComponent(`${qr.name}.png`)}`,
        )
      return reply.send(qr.png)
    },
  )

  app.get(
    '/group-stats',
    {
      schema: {
        tags: ['groups'],
        querystring: GroupStatsQuery,
        response: { 200: GroupStats, 400: ErrorBody },
      },
    },
    async (req) => stats.report(req.query),
  )
  app.get(
    '/group-stats.csv',
    { schema: { tags: ['groups'], querystring: GroupStatsQuery } },
    async (req, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="group-stats-${req.query.from}_${req.query.to}.csv"`,
        )
        .send(await stats.csv(req.query)),
  )

  app.get('/stores', { schema: { tags: ['groups'], response: { 200: StoreList } } }, async () => ({
    items: await stores.list(),
  }))
  app.post(
    '/stores',
    { schema: { tags: ['groups'], body: StoreInput, response: { 201: StoreItem, 400: ErrorBody } } },
    async (req, reply) => reply.status(201).send(await stores.create(req.body)),
  )
  app.put(
    '/stores/:id',
    {
      schema: {
        tags: ['groups'],
        params: IdParams,
        body: StoreInput,
        response: { 200: StoreItem, ...errors },
      },
    },
    async (req) => stores.update(req.params.id, req.body),
  )
  app.delete(
    '/stores/:id',
    { schema: { tags: ['groups'], params: IdParams, response: { 200: Ok, 404: ErrorBody } } },
    async (req) => {
      await stores.remove(req.params.id)
      return { ok: true }
    },
  )
}
