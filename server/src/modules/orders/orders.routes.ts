import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  BindOrderInput,
  ColumnMapping,
  CustomerOrders,
  ErrorBody,
  ImportPreview,
  ImportReject,
  ImportStart,
  OrderImport,
  OrderListQuery,
  OrderPage,
  OrderSource,
  OrderSourceInput,
  OrderSourceWithKey,
  OrderUpload,
  PUSH_ORDER_LIMIT,
  PushResult,
} from '@scrm/shared'
import { badRequest } from '../../lib/errors.ts'

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) })
/** Shop exports run to hundreds of MB at most; the file is streamed to disk, never held in memory. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024

/** Admin: sources and their keys, file imports with progress, the order list. */
export const orderAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdmin())
  // Registered here, not app-wide: only the import upload takes multipart bodies.
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5 } })
  const { orderSources: sources, orderImports: imports, orders } = app

  app.get(
    '/order-sources',
    { schema: { tags: ['orders'], response: { 200: Type.Object({ items: Type.Array(OrderSource) }) } } },
    async () => ({ items: await sources.list() }),
  )
  app.post(
    '/order-sources',
    {
      schema: {
        tags: ['orders'],
        body: OrderSourceInput,
        response: { 201: OrderSourceWithKey, 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (req, reply) => reply.status(201).send(await sources.create(req.body.name)),
  )
  app.post(
    '/order-sources/:id/rotate-key',
    { schema: { tags: ['orders'], params: Id, response: { 200: OrderSourceWithKey, 404: ErrorBody } } },
    async (req) => sources.rotateKey(req.params.id),
  )
  app.put(
    '/order-sources/:id/mapping',
    {
      schema: {
        tags: ['orders'],
        params: Id,
        body: Type.Object({ mapping: ColumnMapping }),
        response: { 200: OrderSource, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => sources.saveMapping(req.params.id, req.body.mapping),
  )

  app.post(
    '/orders/uploads',
    {
      schema: {
        tags: ['orders'],
        consumes: ['multipart/form-data'],
        response: { 201: OrderUpload, 400: ErrorBody, 413: ErrorBody },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw badRequest('multipart_required', 'Upload the file as multipart/form-data')
      const file = await req.file()
      if (!file) throw badRequest('file_required', 'No file in the upload')
      const saved = await imports.saveUpload(file.filename, file.file)
      return reply.status(201).send({ ...saved, fileName: file.filename })
    },
  )
  app.get(
    '/orders/uploads/:uploadId/preview',
    {
      schema: {
        tags: ['orders'],
        params: Type.Object({ uploadId: Type.String({ pattern: '^[a-f0-9]{32}$' }) }),
        querystring: Type.Object({ sourceId: Type.Integer({ minimum: 1 }) }),
        response: { 200: ImportPreview, 404: ErrorBody },
      },
    },
    async (req) => imports.preview(req.params.uploadId, req.query.sourceId),
  )
  app.post(
    '/orders/imports',
    {
      schema: {
        tags: ['orders'],
        body: Type.Intersect([
          ImportStart,
          Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 255 }) }),
        ]),
        response: { 202: OrderImport, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const { sourceId, uploadId, fileName, mapping } = req.body
      const run = await imports.start(sourceId, uploadId, fileName, mapping, req.admin?.username ?? '')
      return reply.status(202).send(run)
    },
  )
  app.get(
    '/orders/imports',
    {
      schema: {
        tags: ['orders'],
        querystring: Type.Object({ sourceId: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: Type.Object({ items: Type.Array(OrderImport) }) },
      },
    },
    async (req) => ({ items: await imports.list(req.query.sourceId) }),
  )
  app.get(
    '/orders/imports/:id',
    { schema: { tags: ['orders'], params: Id, response: { 200: OrderImport, 404: ErrorBody } } },
    async (req) => imports.get(req.params.id),
  )
  app.get(
    '/orders/imports/:id/rejects',
    {
      schema: {
        tags: ['orders'],
        params: Id,
        response: { 200: Type.Object({ items: Type.Array(ImportReject) }), 404: ErrorBody },
      },
    },
    async (req) => ({ items: await imports.rejects(req.params.id) }),
  )

  app.get(
    '/orders',
    { schema: { tags: ['orders'], querystring: OrderListQuery, response: { 200: OrderPage } } },
    async (req) => orders.list(req.query),
  )
}

/** Sidebar: a customer's orders, and binding an order number to them. */
export const orderSidebarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdvisor)
  const Params = Type.Object({ externalUserId: Type.String({ minLength: 1, maxLength: 64 }) })

  app.get(
    '/customers/:externalUserId/orders',
    {
      schema: {
        tags: ['sidebar'],
        params: Params,
        response: { 200: CustomerOrders, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (req) => {
      await app.customerViews.requireFollow(req.advisor!.userId, req.params.externalUserId)
      return app.orders.ofCustomer(req.params.externalUserId)
    },
  )
  app.post(
    '/customers/:externalUserId/orders/bind',
    {
      schema: {
        tags: ['sidebar'],
        params: Params,
        body: BindOrderInput,
        response: { 200: CustomerOrders, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => {
      const userId = req.advisor!.userId
      await app.customerViews.requireFollow(userId, req.params.externalUserId)
      await app.orders.bindByAdvisor(userId, req.params.externalUserId, req.body.orderNo)
      return app.orders.ofCustomer(req.params.externalUserId)
    },
  )
}

/** The push API for shops: `Authorization: Bearer <source key>`, up to PUSH_ORDER_LIMIT orders a call. */
export const orderPushRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The key is checked on the headers alone, before the body is read: a wrong key is a 401 whatever it sent.
  const sourceOf = new WeakMap<object, number>()
  app.post(
    '/orders',
    {
      onRequest: async (req) => {
        sourceOf.set(req, (await app.orderSources.authenticate(req.headers.authorization)).id)
      },
      // Room for a full batch of large orders, so the count check below (413 naming the limit) is what
      // answers an oversized batch rather than the generic body-size limit.
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags: ['integrations'],
        description: `Push up to ${PUSH_ORDER_LIMIT} orders; idempotent on (source, orderNo).`,
        // Each order is checked by the service so a bad one is reported by its index, not as a 400.
        body: Type.Object({ orders: Type.Array(Type.Unknown()) }),
        response: { 200: PushResult, 400: ErrorBody, 401: ErrorBody, 413: ErrorBody },
      },
    },
    async (req) => app.orders.push(sourceOf.get(req)!, req.body.orders),
  )
}
