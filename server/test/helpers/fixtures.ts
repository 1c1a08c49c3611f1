// Rows the operations tests (segments, reminders) set up directly: a customer followed by one advisor,
// and a paid order already bound to them, as the directory mirror and the orders module store them.
import type { DataSource } from 'typeorm'
import { CustomerEntity } from '../../src/modules/directory/customer.entity.ts'
import { CustomerFollowEntity } from '../../src/modules/directory/follow.entity.ts'
import { ShopOrderEntity } from '../../src/modules/orders/order.entity.ts'

export async function insertCustomer(
  db: DataSource,
  c: { id: string; userId?: string; addTime: Date; name?: string; avatar?: string },
): Promise<void> {
  await db.getRepository(CustomerEntity).insert({
    externalUserId: c.id,
    name: c.name ?? c.id,
    avatar: c.avatar ?? '',
    type: 1,
    gender: 0,
    unionid: null,
    corpName: null,
    createdAt: c.addTime,
    updatedAt: c.addTime,
  })
  await db.getRepository(CustomerFollowEntity).insert({
    externalUserId: c.id,
    userId: c.userId ?? 'lina',
    remark: '',
    description: '',
    remarkMobiles: '',
    addTime: c.addTime,
    addWay: 0,
    state: '',
    status: 'active',
    removedAt: null,
    syncRunId: null,
    updatedAt: c.addTime,
  })
}

export async function insertOrder(
  db: DataSource,
  o: {
    orderNo: string
    externalUserId: string
    totalCents: number
    orderedAt: Date
    discountCents?: number
    coupon?: boolean
    status?: 'paid' | 'refunded'
  },
): Promise<void> {
  await db.getRepository(ShopOrderEntity).insert({
    sourceId: 1,
    orderNo: o.orderNo,
    externalUserId: o.externalUserId,
    userId: 'lina',
    boundBy: 'advisor',
    boundAt: o.orderedAt,
    buyerMobile: null,
    buyerUnionid: null,
    buyerName: '',
    totalCents: o.totalCents,
    discountCents: o.discountCents ?? 0,
    couponUsed: o.coupon ?? false,
    status: o.status ?? 'paid',
    orderedAt: o.orderedAt,
    createdAt: o.orderedAt,
  })
}
