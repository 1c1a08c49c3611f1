import fp from 'fastify-plugin'
import type { ScheduledJob } from '../../plugins/scheduler.ts'
import { CampaignService } from './campaign.service.ts'
import { campaignAdminRoutes, campaignSidebarRoutes } from './campaigns.routes.ts'
import { CampaignSender } from './sender.ts'

declare module 'fastify' {
  interface FastifyInstance {
    campaigns: CampaignService
    campaignSender: CampaignSender
  }
}

/** Every minute: plan due launch/countdown messages and send them (one leader through the job lease). */
export const campaignSendJob = (sender: CampaignSender): ScheduledJob => ({
  name: 'campaigns.send',
  cron: '* * * * *',
  leaseMs: 5 * 60_000,
  run: async () => {
    await sender.runDue(new Date())
  },
})

/** Every 10 minutes: which owners confirmed their sends, and which groups got them. */
export const campaignResultsJob = (sender: CampaignSender): ScheduledJob => ({
  name: 'campaigns.results',
  cron: '*/10 * * * *',
  leaseMs: 10 * 60_000,
  run: async () => {
    await sender.syncResults(new Date())
  },
})

/** 社群活动: group campaigns with a launch and countdowns, sent through WeCom's group mass send. */
export default fp(
  async (app) => {
    const campaigns = new CampaignService(app.db)
    const sender = new CampaignSender(app.db, app.wecom, campaigns, app.log.child({ component: 'campaigns' }))
    app.decorate('campaigns', campaigns)
    app.decorate('campaignSender', sender)
    app.scheduler.register(campaignSendJob(sender))
    app.scheduler.register(campaignResultsJob(sender))
    await app.register(campaignAdminRoutes, { prefix: '/api/admin/campaigns' })
    await app.register(campaignSidebarRoutes, { prefix: '/api/sidebar' })
  },
  { name: 'campaigns', dependencies: ['db', 'wecom', 'auth', 'directory', 'sidebar', 'scheduler'] },
)
