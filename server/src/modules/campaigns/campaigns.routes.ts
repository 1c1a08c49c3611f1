import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  CampaignChatSendInput,
  CampaignDetail,
  CampaignInput,
  CampaignOptions,
  CampaignSummary,
  ErrorBody,
  IdParams,
  SendResult,
  SidebarCampaign,
} from '@scrm/shared'
import { AppError, notFound } from '../../lib/errors.ts'
import { configOf, renderText } from './campaign.service.ts'
import { chatPayload } from './payloads.ts'

const tags = ['campaigns']

/** Admin: 社群活动 — campaigns, their schedule, send log and per-group delivery. */
export const campaignAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdmin())
  const { campaigns, campaignSender } = app

  app.get(
    '/',
    { schema: { tags, response: { 200: Type.Object({ items: Type.Array(CampaignSummary) }) } } },
    async () => ({ items: await campaigns.list() }),
  )
  app.get('/options', { schema: { tags, response: { 200: CampaignOptions } } }, async () =>
    campaigns.options(),
  )
  app.get(
    '/:id',
    { schema: { tags, params: IdParams, response: { 200: CampaignDetail, 404: ErrorBody } } },
    async (req) => campaigns.detail(req.params.id),
  )
  app.post(
    '/',
    { schema: { tags, body: CampaignInput, response: { 201: CampaignDetail, 400: ErrorBody } } },
    async (req, reply) => reply.status(201).send(await campaigns.save(req.body)),
  )
  app.put(
    '/:id',
    {
      schema: {
        tags,
        params: IdParams,
        body: CampaignInput,
        response: { 200: CampaignDetail, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => campaigns.save(req.body, req.params.id),
  )
  app.delete(
    '/:id',
    { schema: { tags, params: IdParams, response: { 204: Type.Null(), 404: ErrorBody } } },
    async (req, reply) => {
      await campaigns.remove(req.params.id)
      return reply.status(204).send(null)
    },
  )
  app.post(
    '/:id/send-launch',
    { schema: { tags, params: IdParams, response: { 200: CampaignDetail, 404: ErrorBody, 409: ErrorBody } } },
    async (req) => {
      await campaigns.launchNow(req.params.id)
      await campaignSender.runDue(new Date(), { campaignId: req.params.id })
      return campaigns.detail(req.params.id)
    },
  )
  app.post(
    '/:id/sync-results',
    { schema: { tags, params: IdParams, response: { 200: CampaignDetail, 404: ErrorBody } } },
    async (req) => {
      await campaigns.row(req.params.id)
      await campaignSender.syncResults(new Date(), { campaignId: req.params.id })
      return campaigns.detail(req.params.id)
    },
  )
  app.post(
    '/image',
    {
      bodyLimit: 3 * 1024 * 1024,
      schema: {
        tags,
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 128 }),
          base64: Type.String({ minLength: 4, maxLength: 2_900_000 }),
        }),
        response: { 201: Type.Object({ url: Type.String() }), 400: ErrorBody },
      },
    },
    async (req, reply) => {
      const bytes = Buffer.from(req.body.base64, 'base64')
      if (bytes.length === 0 || bytes.length > 2 * 1024 * 1024)
        throw new AppError(400, 'invalid_image', 'Images must be 1 byte to 2 MB')
      const form = new FormData()
      form.append('media', new Blob([new Uint8Array(bytes)]), req.body.name)
      const res = await app.wecom.post<{ url: string }>('media/uploadimg', form)
      return reply.status(201).send({ url: res.url })
    },
  )
}

const ChatParams = Type.Object({ chatId: Type.String({ minLength: 1, maxLength: 64 }) })

/** Sidebar: the campaigns of the group the advisor is chatting in, and one-tap sends of their messages. */
export const campaignSidebarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdvisor)
  const { campaigns } = app

  app.get(
    '/groups/:chatId/campaigns',
    {
      schema: {
        tags: ['sidebar'],
        params: ChatParams,
        response: {
          200: Type.Object({ items: Type.Array(SidebarCampaign) }),
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (req) => {
      const { group } = await app.customerViews.requireGroup(req.advisor!.userId, req.params.chatId)
      return { items: await campaigns.forGroup(group.chatId, group.ownerUserId) }
    },
  )

  app.post(
    '/groups/:chatId/campaigns/:id/message',
    {
      schema: {
        tags: ['sidebar'],
        params: Type.Object({ ...ChatParams.properties, id: Type.Integer({ minimum: 1 }) }),
        body: CampaignChatSendInput,
        response: { 200: SendResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => {
      const { group } = await app.customerViews.requireGroup(req.advisor!.userId, req.params.chatId)
      const row = await campaigns.row(req.params.id)
      if (!(await campaigns.targetsGroup(row.id, group.chatId, group.ownerUserId))) throw notFound('Campaign')
      const msg = campaigns.messageConfig(configOf(row), req.body.key)
      if (!msg) throw notFound('Campaign message')
      // By hand the advisor sends it now: {left} is the time actually left (the nominal one before the start).
      const now = new Date()
      const at =
        now > row.startsAt && now < row.endsAt ? now : msg.kind === 'launch' ? row.startsAt : msg.sendAt
      const text = renderText(row, msg.text, at)
      return { message: await chatPayload(app.wecom, req.body.part, { text, attachment: msg.attachment }) }
    },
  )
}
