// simulatorPlugin: the WeCom server API (same paths, JSON and errcodes) plus control routes and demo page.
// Register with a prefix, e.g. app.register(simulatorPlugin, { prefix: '/simulator', corp }), then point
// WECOM_API_BASE at http://host:port/simulator.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { authTicketRoutes, registerOAuthPage } from './api/auth-tickets.ts'
import { contactRoutes } from './api/contacts.ts'
import { contactWayRoutes } from './api/contact-ways.ts'
import { groupRoutes } from './api/groups.ts'
import { joinWayRoutes } from './api/join-ways.ts'
import { massSendRoutes } from './api/mass-send.ts'
import { messageMediaRoutes, registerMediaFiles } from './api/message-media.ts'
import { statsRoutes } from './api/stats.ts'
import { tagRoutes } from './api/tags.ts'
import { tokenRoutes } from './api/token.ts'
import { transferRoutes } from './api/transfer.ts'
import { welcomeRoutes } from './api/welcome.ts'
import { registerControl } from './control.ts'
import { SimulatedCorp } from './corp.ts'
import { moreInfo, registerApi, type ApiRoute } from './http.ts'
import { registerDemoPage } from './page.ts'
import { registerChatWindow } from './chat-window.ts'
import { registerQrImages } from './qr.ts'
import { seedDemoCorp } from './seed.ts'

export interface SimulatorPluginOptions {
  /** The corp to serve; default: a new seeded demo corp. */
  corp?: SimulatedCorp
  /** Mount /_control routes and the demo page (default true). */
  control?: boolean
  /** Largest request body (media uploads; WeCom's file limit is 20 MB). */
  bodyLimit?: number
}

export const API_ROUTES: ApiRoute[] = [
  ...tokenRoutes,
  ...contactRoutes,
  ...tagRoutes,
  ...contactWayRoutes,
  ...groupRoutes,
  ...joinWayRoutes,
  ...welcomeRoutes,
  ...massSendRoutes,
  ...transferRoutes,
  ...statsRoutes,
  ...messageMediaRoutes,
  ...authTicketRoutes,
]

export const simulatorPlugin: FastifyPluginAsync<SimulatorPluginOptions> = async (
  app: FastifyInstance,
  opts,
) => {
  const corp = opts.corp ?? seedDemoCorp()
  // Raw bodies: WeCom answers bad JSON with an errcode, not a 400, and media/upload is multipart.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: opts.bodyLimit ?? 25 << 20 },
    (_req, body, done) => done(null, body),
  )
  registerApi(app, corp, API_ROUTES)
  registerOAuthPage(app, corp)
  registerMediaFiles(app, corp)
  registerQrImages(app, corp)
  if (opts.control !== false) {
    await app.register(registerControl, { corp, prefix: '/_control' })
    registerDemoPage(app, corp)
    registerChatWindow(app, corp)
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.slice(app.prefix.length).split('?')[0]
    // WeCom documents no errcode for a wrong path; errcode 404 (HTTP 200) keeps it obvious to clients.
    corp.calls.record({
      time: corp.nowMs(),
      method: req.method,
      path,
      query: {},
      body: null,
      errcode: 404,
      http_status: 200,
      duration_ms: 0,
    })
    return reply.send({ errcode: 404, errmsg: moreInfo(404, `simulator: no API at ${req.method} ${path}`) })
  })
}
