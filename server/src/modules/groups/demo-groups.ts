// Demo start: one group code over the demo corp's customer groups (created through the service, so the
// join way and the group welcome exist in the simulated WeCom too) and two stores that use it.
import type { App } from '../../app.ts'
import { GroupChatEntity } from '../directory/group-chat.entity.ts'

export async function seedDemoGroups(app: App): Promise<void> {
  if ((await app.groups.codes.list()).length > 0) return
  const groups = await app.db
    .getRepository(GroupChatEntity)
    .find({ where: { status: 'active' }, order: { createdAt: 'ASC', chatId: 'ASC' } })
  if (!groups.length) return
  try {
    const code = await app.groups.codes.create({
      name: '门店福利群活码',
      chatIds: groups.map((g) => g.chatId),
      threshold: 180,
      autoCreate: true,
      roomBaseName: '门店福利群',
      roomBaseId: 1,
      welcome: {
        text: '欢迎{name}加入门店福利群🎉 每周三会员日群内发券，到店出示即可使用～',
        attachment: {
          type: 'link',
          title: '会员日优惠券',
          url: 'https://example.com/coupon',
          desc: '满199减30',
        },
      },
    })
    await app.groups.stores.create({
      name: '静安嘉里中心店',
      address: '上海市静安区南京西路 1515 号',
      lat: 31.2243,
      lng: 121.4468,
      groupCodeId: code.id,
    })
    await app.groups.stores.create({
      name: '陆家嘴国金中心店',
      address: '上海市浦东新区世纪大道 8 号',
      lat: 31.2363,
      lng: 121.5016,
      groupCodeId: code.id,
    })
  } catch (err) {
    app.log.warn({ err }, 'demo group code not created')
  }
}
