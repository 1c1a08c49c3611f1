// Member tier definitions (会员等级): names, thresholds on last month's spend / order count, rank,
// and the group code whose group the tier's customers are invited to.
import type { DataSource } from 'typeorm'
import type { MemberTier, MemberTierInput } from '@scrm/shared'
import { badRequest } from '../../lib/errors.ts'
import { inTransaction } from '../../db/transaction.ts'
import { MemberTierEntity, type MemberTierRow } from './segment.entity.ts'
import type { TagMirror } from './tag-mirror.ts'

export const tierOut = (t: MemberTierRow): MemberTier => ({
  id: t.id,
  name: t.name,
  minSpendCents: Number(t.minSpendCents),
  minOrders: t.minOrders,
  rank: t.rank,
  groupCodeId: t.groupCodeId,
})

export class TierService {
  constructor(
    private readonly db: DataSource,
    private readonly mirror: TagMirror,
  ) {}

  async list(): Promise<MemberTier[]> {
    return (await this.db.getRepository(MemberTierEntity).find({ order: { rank: 'ASC' } })).map(tierOut)
  }

  /** Replaces the tier list: rows with an id are updated, without one created, missing ones deleted. */
  async replace(items: MemberTierInput[]): Promise<MemberTier[]> {
    const names = new Set(items.map((i) => i.name.trim()))
    if (names.size !== items.length) throw badRequest('duplicate_tier_name', '等级名称不能重复')
    if (new Set(items.map((i) => i.rank)).size !== items.length)
      throw badRequest('duplicate_tier_rank', '等级排序不能重复')
    const repo = this.db.getRepository(MemberTierEntity)
    const before = new Map((await repo.find()).map((t) => [t.id, t]))
    for (const i of items)
      if (i.id !== undefined && !before.has(i.id))
        throw badRequest('unknown_tier', `Tier ${i.id} does not exist`)
    const keep = new Set(items.filter((i) => i.id !== undefined).map((i) => i.id!))
    const dropped = [...before.keys()].filter((id) => !keep.has(id))
    const renamed: { id: number; name: string }[] = []
    const now = new Date()
    await inTransaction(this.db, async (m) => {
      const r = m.getRepository(MemberTierEntity)
      if (dropped.length) await r.delete(dropped)
      // Free the names first so a swap of two names does not trip the unique index.
      for (const i of items) if (i.id !== undefined) await r.update({ id: i.id }, { name: `~${i.id}` })
      for (const i of items) {
        const fields = {
          name: i.name.trim(),
          minSpendCents: i.minSpendCents,
          minOrders: i.minOrders,
          rank: i.rank,
          groupCodeId: i.groupCodeId,
          updatedAt: now,
        }
        if (i.id !== undefined) {
          await r.update({ id: i.id }, fields)
          if (before.get(i.id)!.name !== fields.name) renamed.push({ id: i.id, name: fields.name })
        } else await r.insert({ ...fields, createdAt: now })
      }
    })
    for (const id of dropped) await this.mirror.dropTier(id)
    for (const t of renamed) await this.mirror.renameTier(t.id, t.name)
    return this.list()
  }
}
