// The scripts ranking's view of a customer, with what the operations engine knows: a customer who has
// ordered is on the repurchase node, and their segment values count as segments through the corp tags
// the segments are mirrored to (segment_tag), even before WeCom has the tags on the follow.
import type { DataSource } from 'typeorm'
import { In } from 'typeorm'
import type { CustomerStageResolver } from '../sidebar/customer-stage.ts'
import { CustomerSegmentEntity, SegmentTagEntity } from './segment.entity.ts'

export function segmentAwareStageResolver(
  db: DataSource,
  base: CustomerStageResolver,
): CustomerStageResolver {
  return {
    async resolve(userId, externalUserId, known) {
      const stage = await base.resolve(userId, externalUserId, known)
      if (!stage) return null
      const segment = await db.getRepository(CustomerSegmentEntity).findOneBy({ externalUserId })
      if (!segment) return stage
      const values: [string, string | null][] = [
        ['tier', segment.tierId === null ? null : String(segment.tierId)],
        ['rfm', segment.rfmGroup],
        ['activity', segment.activity],
        ['price', segment.priceSensitivity],
      ]
      const present = values.filter((v): v is [string, string] => v[1] !== null)
      const mapped = present.length
        ? await db.getRepository(SegmentTagEntity).findBy({
            dimension: In(present.map(([d]) => d)),
            value: In(present.map(([, v]) => v)),
          })
        : []
      const tagIds = mapped
        .filter((m) => present.some(([d, v]) => d === m.dimension && v === m.value))
        .map((m) => m.tagId)
      return {
        node: segment.orderCount > 0 && stage.node !== 'takeover' ? 'repurchase' : stage.node,
        segmentTagIds: [...new Set([...stage.segmentTagIds, ...tagIds])].sort(),
      }
    },
  }
}
