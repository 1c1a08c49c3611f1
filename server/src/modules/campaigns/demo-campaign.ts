// Demo: one group buy running right now on every demo group, so the group sidebar shows a campaign with
// a live countdown and the console shows its schedule and send log. Seeded once (no campaign yet).
import type { App } from '../../app.ts'
import { CampaignEntity } from './campaign.entity.ts'

export async function seedDemoCampaign(app: App, now = new Date()): Promise<number | null> {
  if ((await app.db.getRepository(CampaignEntity).count()) > 0) return null
  const { owners } = await app.campaigns.options()
  if (owners.length === 0) return null
  const hour = 3600_000
  const startsAt = new Date(Math.floor(now.getTime() / hour) * hour - 2 * hour)
  const endsAt = new Date(startsAt.getTime() + 8 * hour)
  const saved = await app.campaigns.save({
    name: '双12修护精华团购',
    description: '修护精华液 30ml 团购价 219 → 119，4 件 399；限量 2,000 件，订单保留 10 分钟。',
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    chatIds: [],
    ownerUserIds: owners.map((o) => o.userId),
    launch: {
      text: '【{name}】开团啦！修护精华团购价 119 元，4 件 399，{end} 截止，手慢无～',
      attachment: {
        type: 'link',
        title: '双12团购 · 修护精华液',
        url: 'https://shop.example.com/group-buy/1212',
        desc: '团购价 119 元，限量 2,000 件',
      },
    },
    countdowns: [
      { offsetMinutes: 180, text: '【{name}】距结束还有{left}，还没下单的抓紧啦！' },
      { offsetMinutes: 60, text: '【{name}】最后{left}，库存不多了！' },
      { offsetMinutes: 15, text: '最后{left}！{name}即将结束，错过再等一个月～' },
    ],
  })
  return saved.id
}
