// A believable demo corp (a skincare brand's private-domain team), deterministic for a given seed.
import { SimulatedCorp, type CorpOptions } from './corp.ts'

export const DEMO_STAFF = [
  { userid: 'lina', name: '李娜', department: [2] },
  { userid: 'wangfang', name: '王芳', department: [2] },
  { userid: 'zhangwei', name: '张伟', department: [3] },
  { userid: 'liuyang', name: '刘洋', department: [3] },
] as const

const SURNAMES = ['陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗']
const GIVEN = [
  '静',
  '敏',
  '丽',
  '婷',
  '雪',
  '晓燕',
  '佳怡',
  '欣然',
  '子涵',
  '梓萱',
  '雨桐',
  '思琪',
  '浩然',
  '俊杰',
  '明',
]

const TAG_GROUPS: [string, string[]][] = [
  ['渠道', ['门店扫码', '直播间', '小红书', '老客推荐']],
  ['肤质', ['干皮', '油皮', '混合皮', '敏感肌']],
  ['会员等级', ['普通会员', '银卡', '金卡', '黑金']],
]

const CUSTOMER_COUNT = 30
const DAY = 86_400

/** Fills `corp` (or a new one) with the demo data and returns it. */
export function seedDemoCorp(corpOrOptions: SimulatedCorp | CorpOptions = {}): SimulatedCorp {
  const corp = corpOrOptions instanceof SimulatedCorp ? corpOrOptions : new SimulatedCorp(corpOrOptions)
  corp.reset()
  const ids = corp.ids
  const now = corp.now()

  for (const s of DEMO_STAFF) corp.addStaff({ ...s, department: [...s.department] })
  const groups = TAG_GROUPS.map(([name, tags], i) => corp.addTagGroup(name, tags, i))
  const [channel, skin, level] = groups

  for (let i = 0; i < CUSTOMER_COUNT; i++) {
    const name = SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length]
    const customer = corp.addCustomer({ name, gender: i % 5 === 4 ? 1 : 2, type: i % 10 === 9 ? 2 : 1 })
    if (customer.type === 2) {
      customer.corp_name = '悦己美妆'
      customer.corp_full_name = '上海悦己美妆有限公司'
      customer.position = '采购'
    }
    const staff = DEMO_STAFF[i % DEMO_STAFF.length]
    const channelTag = channel.tags[i % channel.tags.length]
    corp.addFollow(customer, {
      userid: staff.userid,
      remark: `${name}-${channelTag.name}`,
      description: i % 3 === 0 ? '关注抗老精华' : '',
      createtime: now - (CUSTOMER_COUNT - i) * DAY,
      tag_ids: [channelTag.id, skin.tags[ids.int(0, 3)].id, level.tags[Math.min(3, Math.floor(i / 8))].id],
      remark_mobiles: i % 4 === 0 ? [`1380013${String(8000 + i)}`] : [],
      add_way: 1,
      state: `demo_${channelTag.name === '门店扫码' ? 'store' : 'live'}`,
      oper_userid: customer.external_userid,
    })
    // Every fifth customer also follows a second advisor.
    if (i % 5 === 0) {
      const second = DEMO_STAFF[(i + 1) % DEMO_STAFF.length]
      corp.addFollow(customer, {
        userid: second.userid,
        createtime: now - 2 * DAY,
        tag_ids: [level.tags[0].id],
      })
    }
  }

  const customers = [...corp.data.customers.values()]
  const groupNames = ['李娜的VIP福利群', '王芳·敏感肌护理交流群', '张伟·新品体验官1群', '刘洋·直播粉丝群']
  DEMO_STAFF.forEach((s, gi) => {
    const group = corp.createGroup(s.userid, groupNames[gi], { createTime: now - 20 * DAY })
    group.notice = '欢迎加入！群内不定期发放福利，请勿发广告。'
    const colleague = DEMO_STAFF[(gi + 1) % DEMO_STAFF.length]
    corp.joinGroup(group, colleague.userid, { scene: 1, invitor: s.userid, time: now - 20 * DAY })
    group.admin_list.push({ userid: colleague.userid })
    customers
      .filter((_, ci) => ci % DEMO_STAFF.length === gi || ci % 7 === gi)
      .forEach((c, k) =>
        corp.joinGroup(group, c.external_userid, {
          scene: k % 2 ? 3 : 1,
          invitor: s.userid,
          time: now - (19 - k) * DAY,
        }),
      )
  })

  corp.data.contactWays.set('a3f6c5b1d2e4f60718293a4b5c6d7e8f', {
    config_id: 'a3f6c5b1d2e4f60718293a4b5c6d7e8f',
    type: 1,
    scene: 2,
    remark: '门店前台二维码',
    skip_verify: true,
    state: 'demo_store',
    user: ['lina'],
    party: [],
    is_temp: false,
    create_time: now - 30 * DAY,
    next_user: 0,
  })
  corp.data.contactWays.set('b7e2d4c6a8f0b1c3d5e7f9a0b2c4d6e8', {
    config_id: 'b7e2d4c6a8f0b1c3d5e7f9a0b2c4d6e8',
    type: 2,
    scene: 2,
    remark: '直播间引流码（多人）',
    skip_verify: false,
    state: 'demo_live',
    user: ['wangfang', 'zhangwei', 'liuyang'],
    party: [],
    is_temp: false,
    create_time: now - 30 * DAY,
    next_user: 0,
  })
  const firstGroup = [...corp.data.groups.values()][0]
  corp.data.joinWays.set('c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6', {
    config_id: 'c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6',
    scene: 2,
    remark: 'VIP福利群活码',
    auto_create_room: 1,
    room_base_name: 'VIP福利群',
    room_base_id: 2,
    chat_id_list: [firstGroup.chat_id],
    state: 'demo_vip_group',
    create_time: now - 30 * DAY,
  })
  return corp
}

/** Config ids of the seeded ways, for the demo page and tests. */
export const DEMO_IDS = {
  storeContactWay: 'a3f6c5b1d2e4f60718293a4b5c6d7e8f',
  liveContactWay: 'b7e2d4c6a8f0b1c3d5e7f9a0b2c4d6e8',
  vipJoinWay: 'c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6',
} as const
