import fp from 'fastify-plugin'
import { SimulatedCorp, seedDemoCorp, simulatorPlugin } from '../simulator/index.ts'

declare module 'fastify' {
  interface FastifyInstance {
    simulatedCorp?: SimulatedCorp
  }
}

// Mounts the built-in WeCom simulator at /simulator (the demo and development; off in production).
// The product reaches it only through WECOM_API_BASE, exactly as it would reach WeCom, and the
// simulator posts signed callbacks to our own /wecom/callback.
export default fp(
  async (app) => {
    const { wecom, publicUrl } = app.config
    const corp = new SimulatedCorp({
      corpId: wecom.corpId,
      agentId: Number(wecom.agentId),
      secrets: [wecom.secret],
    })
    seedDemoCorp(corp)
    corp.callback = {
      url: `${publicUrl}/wecom/callback`,
      token: wecom.callbackToken,
      encodingAesKey: wecom.callbackAesKey,
    }
    app.decorate('simulatedCorp', corp)
    // Its API traffic is the demo's own plumbing: keep it out of the info log.
    await app.register(simulatorPlugin, { prefix: '/simulator', corp, logLevel: 'warn' })
    app.log.info({ page: `${publicUrl}/simulator/` }, 'WeCom simulator mounted')
  },
  { name: 'simulator', dependencies: ['config'] },
)
