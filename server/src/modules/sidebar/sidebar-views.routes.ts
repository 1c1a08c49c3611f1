import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  CustomerNote,
  CustomerProfile,
  ErrorBody,
  GroupProfile,
  NewCustomerNote,
  ProfileTagGroup,
  TagChange,
} from '@scrm/shared'

const ExternalUserId = Type.Object({ externalUserId: Type.String({ minLength: 1, maxLength: 64 }) })
const errors = { 401: ErrorBody, 403: ErrorBody }

/** The customer view (1v1 chat) and the group view (group chat) of the sidebar. Thin: see the service. */
export const sidebarViewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdvisor)
  const views = app.customerViews

  app.get(
    '/customers/:externalUserId',
    { schema: { tags: ['sidebar'], params: ExternalUserId, response: { 200: CustomerProfile, ...errors } } },
    async (req) => views.profile(req.advisor!.userId, req.params.externalUserId),
  )

  app.post(
    '/customers/:externalUserId/tags',
    {
      schema: {
        tags: ['sidebar'],
        params: ExternalUserId,
        body: TagChange,
        response: { 200: Type.Object({ tagGroups: Type.Array(ProfileTagGroup) }), 400: ErrorBody, ...errors },
      },
    },
    async (req) => ({
      tagGroups: await views.changeTag(req.advisor!.userId, req.params.externalUserId, req.body.tagId, 'add'),
    }),
  )

  app.delete(
    '/customers/:externalUserId/tags/:tagId',
    {
      schema: {
        tags: ['sidebar'],
        params: Type.Object({
          ...ExternalUserId.properties,
          tagId: Type.String({ minLength: 1, maxLength: 64 }),
        }),
        response: { 200: Type.Object({ tagGroups: Type.Array(ProfileTagGroup) }), 400: ErrorBody, ...errors },
      },
    },
    async (req) => ({
      tagGroups: await views.changeTag(
        req.advisor!.userId,
        req.params.externalUserId,
        req.params.tagId,
        'remove',
      ),
    }),
  )

  app.get(
    '/customers/:externalUserId/notes',
    {
      schema: {
        tags: ['sidebar'],
        params: ExternalUserId,
        response: { 200: Type.Object({ items: Type.Array(CustomerNote) }), ...errors },
      },
    },
    async (req) => ({ items: await views.notes(req.advisor!.userId, req.params.externalUserId) }),
  )

  app.post(
    '/customers/:externalUserId/notes',
    {
      schema: {
        tags: ['sidebar'],
        params: ExternalUserId,
        body: NewCustomerNote,
        response: { 201: CustomerNote, 400: ErrorBody, ...errors },
      },
    },
    async (req, reply) => {
      const note = await views.addNote(
        req.advisor!.userId,
        req.params.externalUserId,
        req.body.content,
        req.body.kind ?? 'note',
      )
      return reply.status(201).send(note)
    },
  )

  app.get(
    '/tag-groups',
    {
      schema: {
        tags: ['sidebar'],
        response: { 200: Type.Object({ items: Type.Array(ProfileTagGroup) }), ...errors },
      },
    },
    async () => ({ items: await views.allTagGroups() }),
  )

  app.get(
    '/groups/:chatId',
    {
      schema: {
        tags: ['sidebar'],
        params: Type.Object({ chatId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: GroupProfile, ...errors },
      },
    },
    async (req) => views.groupProfile(req.advisor!.userId, req.params.chatId),
  )
}

/** Whether this server runs against the simulator: the demo's simulated chat window is honoured only then. */
export const sidebarHostRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/host',
    { schema: { tags: ['sidebar'], response: { 200: Type.Object({ simulator: Type.Boolean() }) } } },
    async () => ({ simulator: app.config.simulator }),
  )
}
