import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { inTransaction } from '../../db/transaction.ts'
import { checkWelcome } from './channel-validation.ts'
import { writeWelcome } from './channel.service.ts'
import { GiftBody, IdParams, WelcomeBody } from '@scrm/shared'

const Ok = Type.Object({ ok: Type.Boolean() })

/** Welcome messages (欢迎语): the default one (adds without a channel) and each channel's standard + gift. */
export const welcomeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireAdmin())
  const { channels, resolver } = app.acquisition

  app.get(
    '/welcome/default',
    { schema: { tags: ['acquisition'], response: { 200: WelcomeBody } } },
    async () => {
      const w = await resolver.defaults()
      return { text: w.text, attachments: w.attachments }
    },
  )
  app.put(
    '/welcome/default',
    { schema: { tags: ['acquisition'], body: WelcomeBody, response: { 200: Ok } } },
    async (req) => {
      checkWelcome(req.body, '默认欢迎语')
      await inTransaction(app.db, (m) => writeWelcome(m, null, 'default', req.body))
      channels.version++
      return { ok: true }
    },
  )
  app.put(
    '/channels/:id/welcome',
    {
      schema: {
        tags: ['acquisition'],
        params: IdParams,
        body: Type.Object({ welcome: WelcomeBody, gift: GiftBody }, { additionalProperties: false }),
        response: { 200: Ok },
      },
    },
    async (req) => {
      checkWelcome(req.body.welcome)
      if (req.body.gift.enabled) checkWelcome(req.body.gift.message, '赠礼欢迎语')
      await channels.updateWelcome(req.params.id, req.body.welcome, req.body.gift)
      return { ok: true }
    },
  )
}
