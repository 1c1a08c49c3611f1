// Demo start: a few channels with welcome messages, created through the service (so they exist in the
// simulated WeCom too), so the acquisition pages show something on first look.
import type { App } from '../../app.ts'
import { TagEntity } from '../directory/tag.entity.ts'
import type { ChannelBody } from '@scrm/shared'

export async function seedDemoChannels(app: App): Promise<void> {
  if ((await app.acquisition.channels.list()).length > 0) return
  const tags = await app.db.getRepository(TagEntity).find()
  const tag = (name: string) => tags.filter((t) => t.name === name).map((t) => t.tagId)
  const advisor = (userId: string, extra: Partial<ChannelBody['advisors'][number]> = {}) => ({
    userId,
    dailyCap: null,
    weekdays: [],
    startTime: '',
    endTime: '',
    ...extra,
  })
  const noGift = { enabled: false, dailyQuota: 0, windowHours: null, message: { text: '', attachments: [] } }
  const channels: ChannelBody[] = [
    {
      name: '天猫包裹卡',
      groupName: '包裹卡',
      skipVerify: true,
      advisors: [advisor('lina', { dailyCap: 200 }), advisor('wangfang')],
      tagIds: tag('老客推荐'),
      remarkTemplate: '{memberGroup}·{channel}·{shopNick}·{name}',
      memberGroup: '新客',
      shopNick: '天猫',
      supervisorUserId: 'zhangwei',
      codes: [{ name: 'A款·粉色卡' }, { name: 'B款·白色卡' }],
      welcome: {
        text: '{name}您好，我是您的专属美容顾问{advisor}～感谢购买！回复订单号即可领取会员礼。',
        attachments: [
          {
            msgtype: 'link',
            link: { title: '新人专享券 满199减30', url: 'https://example.com/coupon', desc: '7 天内有效' },
          },
        ],
      },
      gift: {
        enabled: true,
        dailyQuota: 50,
        windowHours: null,
        message: {
          text: '{name}您好，我是{advisor}！您是今天前 50 位添加的客户，回复「礼物」领取旅行装小样一份🎁',
          attachments: [{ msgtype: 'link', link: { title: '领取小样', url: 'https://example.com/gift' } }],
        },
      },
    },
    {
      name: '直播间福利码',
      groupName: '直播',
      skipVerify: true,
      advisors: [
        advisor('zhangwei', { weekdays: [1, 2, 3, 4, 5], startTime: '09:00', endTime: '21:00' }),
        advisor('liuyang'),
      ],
      tagIds: tag('直播间'),
      remarkTemplate: '{channel}·{name}',
      memberGroup: '',
      shopNick: '',
      supervisorUserId: '',
      codes: [{ name: '直播间主码' }],
      welcome: {
        text: 'Hi {name}，欢迎来到直播间福利群的入口！今晚 8 点开播，提醒已为您设置。',
        attachments: [],
      },
      gift: noGift,
    },
    {
      name: '门店柜台',
      groupName: '门店',
      skipVerify: false,
      advisors: [advisor('wangfang'), advisor('liuyang')],
      tagIds: tag('门店扫码'),
      remarkTemplate: '{group}·{name}·{date}',
      memberGroup: '',
      shopNick: '',
      supervisorUserId: '',
      codes: [{ name: '柜台立牌' }],
      welcome: { text: '{name}您好，我是门店顾问{advisor}，到店体验随时找我～', attachments: [] },
      gift: noGift,
    },
  ]
  for (const body of channels) {
    try {
      await app.acquisition.channels.create(body)
    } catch (err) {
      app.log.warn({ err, channel: body.name }, 'demo channel not created')
    }
  }
}
