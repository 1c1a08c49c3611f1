import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { JsSdkConfig, JsSdkSignature, SidebarMe } from '@scrm/shared'

/** What the sidebar needs before anything else: who is signed in, and JS-SDK signatures. */
export const sidebarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/jssdk/config', { schema: { tags: ['sidebar'], response: { 200: JsSdkConfig } } }, async () => ({
    corpId: app.config.wecom.corpId,
    agentId: app.config.wecom.agentId,
  }))

  app.get(
    '/jssdk/signature',
    {
      schema: {
        tags: ['sidebar'],
        querystring: Type.Object({
          type: Type.Union([Type.Literal('config'), Type.Literal('agent')]),
          url: Type.String({ minLength: 8, maxLength: 2048, pattern: '^https?://' }),
        }),
        response: { 200: JsSdkSignature },
      },
    },
    async (req) => app.jsSdk.sign(req.query.type, req.query.url),
  )

  app.get(
    '/me',
    { onRequest: app.requireAdvisor, schema: { tags: ['sidebar'], response: { 200: SidebarMe } } },
    async (req) => ({
      userId: req.advisor!.userId,
      name: req.advisor!.name,
    }),
  )
}
