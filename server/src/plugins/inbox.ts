import fp from 'fastify-plugin'
import { KNOWN_CHANGES, entityKeyOf } from '../wecom/events.ts'
import { callbackRoutes } from '../wecom/callback.routes.ts'
import { InboxDispatcher, type DispatcherOptions } from '../modules/inbox/dispatcher.ts'
import { InboxWriter } from '../modules/inbox/inbox-writer.ts'
import { inboxRoutes } from '../modules/inbox/inbox.routes.ts'

declare module 'fastify' {
  interface FastifyInstance {
    inbox: { writer: InboxWriter; dispatcher: InboxDispatcher }
  }
}

export interface InboxPluginOptions {
  dispatcher?: Partial<DispatcherOptions>
  callbackMaxSkewSec: number
}

// Ack after durable write, process after ack: the route stores the callback and returns; the
// dispatcher (woken at once, so the 20 s welcome code is still fresh) does the work.
export default fp<InboxPluginOptions>(
  async (app, opts) => {
    const dispatcher = new InboxDispatcher(
      app.db,
      app.dbKind,
      app.events,
      app.log.child({ component: 'inbox' }),
      {
        leaseMs: app.config.inboxLeaseMs,
        ...opts.dispatcher,
      },
    )
    // One flush at a time: callbacks arriving meanwhile queue up and go in the next, larger batch.
    const writer = new InboxWriter(app.db, () => dispatcher.wake(), 500, 1)
    app.decorate('inbox', { writer, dispatcher })

    const { wecom } = app.config
    await app.register(callbackRoutes, {
      prefix: '/wecom',
      crypto: { token: wecom.callbackToken, encodingAesKey: wecom.callbackAesKey, receiveId: wecom.corpId },
      maxSkewSec: opts.callbackMaxSkewSec,
      bodyLimit: 64 * 1024,
      accept: ({ hash, xml, event }) =>
        writer.write({
          hash,
          event: event.Event.slice(0, 64),
          changeType: event.ChangeType.slice(0, 64),
          entityKey: entityKeyOf(event).slice(0, 128),
          payload: xml,
          status: KNOWN_CHANGES[event.Event]?.includes(event.ChangeType) ? 'pending' : 'ignored',
        }),
    })
    await app.register(inboxRoutes, { prefix: '/api/admin/inbox' })

    if (app.config.workers) {
      // Started once every module has registered its steps; unfinished rows from before are resumed.
      app.addHook('onReady', async () => dispatcher.start())
    }
    app.addHook('preClose', async () => dispatcher.stop())
  },
  { name: 'inbox', dependencies: ['db', 'wecom', 'auth'] },
)
