import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorBody, Product, ProductInput, ProductSend, ProductSendInput, SendResult } from '@scrm/shared'
import { badRequest } from '../../lib/errors.ts'

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const Query = Type.Object({ q: Type.Optional(Type.String({ maxLength: 64 })) })

/** Admin: the product library (商品库). */
export const productAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdmin())
  const products = app.products

  app.get(
    '/products',
    {
      schema: {
        tags: ['products'],
        querystring: Query,
        response: { 200: Type.Object({ items: Type.Array(Product) }) },
      },
    },
    async (req) => ({ items: await products.list(req.query.q) }),
  )
  app.post(
    '/products',
    { schema: { tags: ['products'], body: ProductInput, response: { 201: Product, 400: ErrorBody } } },
    async (req, reply) => reply.status(201).send(await products.save(req.body)),
  )
  app.post(
    '/products/image',
    {
      bodyLimit: 3 * 1024 * 1024,
      schema: {
        tags: ['products'],
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 128 }),
          base64: Type.String({ minLength: 4, maxLength: 2_900_000 }),
        }),
        response: { 201: Type.Object({ url: Type.String() }), 400: ErrorBody },
      },
    },
    async (req, reply) =>
      reply.status(201).send({ url: await products.uploadImage(req.body.name, req.body.base64) }),
  )
  app.put(
    '/products/:id',
    {
      schema: {
        tags: ['products'],
        params: Id,
        body: ProductInput,
        response: { 200: Product, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => products.save(req.body, req.params.id),
  )
  app.delete(
    '/products/:id',
    { schema: { tags: ['products'], params: Id, response: { 204: Type.Null(), 404: ErrorBody } } },
    async (req, reply) => {
      await products.remove(req.params.id)
      return reply.status(204).send(null)
    },
  )
}

/** Sidebar: products to send, one-tap send (recorded), and what this customer was sent. */
export const productSidebarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdvisor)
  const products = app.products

  app.get(
    '/products',
    {
      schema: {
        tags: ['sidebar'],
        querystring: Query,
        response: { 200: Type.Object({ items: Type.Array(Product) }), 401: ErrorBody },
      },
    },
    async (req) => ({ items: await products.list(req.query.q) }),
  )

  app.post(
    '/products/:id/send',
    {
      schema: {
        tags: ['sidebar'],
        params: Id,
        body: ProductSendInput,
        response: { 200: SendResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => {
      const userId = req.advisor!.userId
      const { externalUserId, chatId, msgtype } = req.body
      if (!!externalUserId === !!chatId)
        throw badRequest('target_required', 'Name either a customer or a group')
      if (externalUserId) await app.customerViews.requireFollow(userId, externalUserId)
      else await app.customerViews.requireGroup(userId, chatId!)
      return { message: await products.send(req.params.id, msgtype, { userId, externalUserId, chatId }) }
    },
  )

  app.get(
    '/customers/:externalUserId/product-sends',
    {
      schema: {
        tags: ['sidebar'],
        params: Type.Object({ externalUserId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: Type.Object({ items: Type.Array(ProductSend) }), 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (req) => {
      const userId = req.advisor!.userId
      await app.customerViews.requireFollow(userId, req.params.externalUserId)
      return { items: await products.sendsTo(userId, req.params.externalUserId) }
    },
  )
}
