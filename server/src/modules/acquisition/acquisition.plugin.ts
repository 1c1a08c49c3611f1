import fp from 'fastify-plugin'
import { retryFollowUpsJob } from '../../jobs/retry-follow-ups.job.ts'
import { rotateAdvisorsJob } from '../../jobs/rotate-advisors.job.ts'
import { registerAcquisitionSteps } from './acquisition.steps.ts'
import { AdvisorRotation } from './advisor-rotation.ts'
import { ChannelResolver } from './channel-resolver.ts'
import { channelRoutes } from './channel.routes.ts'
import { ChannelService } from './channel.service.ts'
import { FollowUps } from './follow-ups.ts'
import { LostCustomerService } from './lost-customer.service.ts'
import { lostRoutes } from './lost.routes.ts'
import { StatsService } from './stats.service.ts'
import { statsRoutes } from './stats.routes.ts'
import { WelcomeService } from './welcome.service.ts'
import { welcomeRoutes } from './welcome.routes.ts'

export interface Acquisition {
  channels: ChannelService
  resolver: ChannelResolver
  welcome: WelcomeService
  followUps: FollowUps
  lost: LostCustomerService
  rotation: AdvisorRotation
  stats: StatsService
}

declare module 'fastify' {
  interface FastifyInstance {
    acquisition: Acquisition
  }
}

// Acquisition (获客): channel codes, welcome messages, tags and remarks on add, lost customers, numbers.
export default fp(
  async (app) => {
    const log = app.log.child({ component: 'acquisition' })
    const rotation = new AdvisorRotation(app.db, app.wecom, log)
    const channels = new ChannelService(app.db, app.wecom, rotation, log)
    const resolver = new ChannelResolver(app.db, channels)
    const welcome = new WelcomeService(app.db, app.wecom, resolver, app.contacts)
    const followUps = new FollowUps(app.db, app.wecom, resolver)
    const lost = new LostCustomerService(app.db, app.wecom, app.config.wecom.agentId, log)
    app.decorate('acquisition', {
      channels,
      resolver,
      welcome,
      followUps,
      lost,
      rotation,
      stats: new StatsService(app.db),
    })

    registerAcquisitionSteps(app.events, { resolver, welcome, followUps, lost, rotation, log })
    app.scheduler.register(rotateAdvisorsJob(rotation))
    app.scheduler.register(retryFollowUpsJob(app.db, followUps))

    await app.register(channelRoutes, { prefix: '/api/admin/acquisition' })
    await app.register(welcomeRoutes, { prefix: '/api/admin/acquisition' })
    await app.register(lostRoutes, { prefix: '/api/admin/acquisition' })
    await app.register(statsRoutes, { prefix: '/api/admin/acquisition' })
  },
  { name: 'acquisition', dependencies: ['db', 'wecom', 'auth', 'directory', 'scheduler'] },
)
