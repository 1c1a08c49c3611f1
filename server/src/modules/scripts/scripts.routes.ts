import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  ErrorBody,
  RankedScript,
  Script,
  ScriptImport,
  ScriptInput,
  ScriptLibrary,
  ScriptLibraryInput,
  SendResult,
  SendTarget,
  SidebarScripts,
} from '@scrm/shared'
import { badRequest } from '../../lib/errors.ts'

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const Sort = Type.Optional(
  Type.Union([Type.Literal('recommended'), Type.Literal('most_used'), Type.Literal('newest')]),
)

/** Admin: script libraries and scripts (话术库). */
export const scriptAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdmin())
  const scripts = app.scripts

  app.get(
    '/script-libraries',
    { schema: { tags: ['scripts'], response: { 200: Type.Object({ items: Type.Array(ScriptLibrary) }) } } },
    async () => ({ items: await scripts.libraries() }),
  )
  app.post(
    '/script-libraries',
    { schema: { tags: ['scripts'], body: ScriptLibraryInput, response: { 201: ScriptLibrary } } },
    async (req, reply) => reply.status(201).send(await scripts.saveLibrary(req.body)),
  )
  app.put(
    '/script-libraries/:id',
    {
      schema: {
        tags: ['scripts'],
        params: Id,
        body: ScriptLibraryInput,
        response: { 200: ScriptLibrary, 404: ErrorBody },
      },
    },
    async (req) => scripts.saveLibrary(req.body, req.params.id),
  )
  app.delete(
    '/script-libraries/:id',
    { schema: { tags: ['scripts'], params: Id, response: { 204: Type.Null(), 404: ErrorBody } } },
    async (req, reply) => {
      await scripts.deleteLibrary(req.params.id)
      return reply.status(204).send(null)
    },
  )

  app.get(
    '/scripts',
    {
      schema: {
        tags: ['scripts'],
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 64 })),
          libraryId: Type.Optional(Type.Integer({ minimum: 1 })),
          sort: Sort,
        }),
        response: { 200: Type.Object({ items: Type.Array(RankedScript) }) },
      },
    },
    async (req) => ({ items: await scripts.list({ ...req.query, sort: req.query.sort ?? 'newest' }) }),
  )
  app.post(
    '/scripts',
    { schema: { tags: ['scripts'], body: ScriptInput, response: { 201: Script, 400: ErrorBody } } },
    async (req, reply) => reply.status(201).send(await scripts.save(req.body)),
  )
  app.post(
    '/scripts/import',
    {
      schema: {
        tags: ['scripts'],
        body: ScriptImport,
        response: { 201: Type.Object({ imported: Type.Integer() }), 400: ErrorBody },
      },
    },
    async (req, reply) => reply.status(201).send({ imported: await scripts.importMany(req.body) }),
  )
  app.put(
    '/scripts/:id',
    {
      schema: {
        tags: ['scripts'],
        params: Id,
        body: ScriptInput,
        response: { 200: Script, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => scripts.save(req.body, req.params.id),
  )
  app.delete(
    '/scripts/:id',
    { schema: { tags: ['scripts'], params: Id, response: { 204: Type.Null(), 404: ErrorBody } } },
    async (req, reply) => {
      await scripts.remove(req.params.id)
      return reply.status(204).send(null)
    },
  )
}

/** Sidebar: scripts ranked for the current customer, and one-tap send (records the use). */
export const scriptSidebarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdvisor)
  const scripts = app.scripts

  app.get(
    '/scripts',
    {
      schema: {
        tags: ['sidebar'],
        querystring: Type.Object({
          externalUserId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          chatId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          q: Type.Optional(Type.String({ maxLength: 64 })),
          sort: Sort,
        }),
        response: { 200: SidebarScripts, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (req) => {
      const { externalUserId, chatId, q, sort } = req.query
      const userId = req.advisor!.userId
      let stage = null
      if (externalUserId) {
        await app.customerViews.requireFollow(userId, externalUserId)
        stage = await app.customerStage.current.resolve(userId, externalUserId)
      } else if (chatId) {
        await app.customerViews.requireGroup(userId, chatId)
      }
      return { stage, items: await scripts.list({ q, sort, stage }) }
    },
  )

  app.post(
    '/scripts/:id/use',
    {
      schema: {
        tags: ['sidebar'],
        params: Id,
        body: SendTarget,
        response: { 200: SendResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => {
      const userId = req.advisor!.userId
      const { externalUserId, chatId } = req.body
      if (!!externalUserId === !!chatId)
        throw badRequest('target_required', 'Name either a customer or a group')
      if (externalUserId) await app.customerViews.requireFollow(userId, externalUserId)
      else await app.customerViews.requireGroup(userId, chatId!)
      return { message: await scripts.use(req.params.id, { userId, externalUserId, chatId }) }
    },
  )
}
