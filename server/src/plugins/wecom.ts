import fp from 'fastify-plugin'
import { EventHandlerRegistry } from '../modules/inbox/handler-registry.ts'
import { WeComClient } from '../wecom/client.ts'
import { CredentialStore } from '../wecom/credential-store.ts'

declare module 'fastify' {
  interface FastifyInstance {
    wecom: WeComClient
    credentials: CredentialStore
    events: EventHandlerRegistry
  }
}

export interface WeComPluginOptions {
  /** Tests shorten the client's backoff so fault-injection runs stay quick. */
  backoffBaseMs?: number
  maxAttempts?: number
}

export default fp<WeComPluginOptions>(
  async (app, opts) => {
    const credentials = new CredentialStore(app.db)
    app.decorate('credentials', credentials)
    app.decorate(
      'wecom',
      new WeComClient({
        apiBase: app.config.wecom.apiBase,
        corpId: app.config.wecom.corpId,
        secret: app.config.wecom.secret,
        credentials,
        log: app.log.child({ component: 'wecom-client' }),
        backoffBaseMs: opts.backoffBaseMs,
        maxAttempts: opts.maxAttempts,
      }),
    )
    app.decorate('events', new EventHandlerRegistry())
  },
  { name: 'wecom', dependencies: ['db'] },
)
