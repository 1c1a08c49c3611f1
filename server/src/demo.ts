// First start of the demo: an admin to log in with and the simulated corp mirrored into our tables.
import { randomBytes } from 'node:crypto'
import type { App } from './app.ts'
import { CustomerEntity } from './modules/directory/customer.entity.ts'
import { seedDemoChannels } from './modules/acquisition/demo-channels.ts'
import { seedDemoContent } from './modules/products/demo-content.ts'
import { seedDemoCampaign } from './modules/campaigns/demo-campaign.ts'
import { seedDemoGroups } from './modules/groups/demo-groups.ts'
import { seedDemoOrders } from './modules/orders/demo-orders.ts'
import { computeDemoSegments } from './modules/segments/demo-segments.ts'
import { seedDemoReminders } from './modules/reminders/demo-reminders.ts'

export async function prepareDemo(app: App) {
  if ((await app.adminUsers.count()) === 0) {
    // Never a fixed password: a fresh one each first start, shown once in the console.
    const password = randomBytes(9).toString('base64url')
    await app.adminUsers.create('admin', password, 'admin')
    console.log(
      `\n  Demo admin created — username: admin   password: ${password}\n  (set ADMIN_USERNAME / ADMIN_PASSWORD to choose your own)\n`,
    )
  }
  if ((await app.db.getRepository(CustomerEntity).count()) === 0) {
    await app.directorySync.start()
    await app.directorySync.wait()
  }
  await seedDemoChannels(app)
  await seedDemoContent(app)
  await seedDemoGroups(app)
  await seedDemoOrders(app)
  await computeDemoSegments(app)
  await seedDemoReminders(app)
  await seedDemoCampaign(app)
}
