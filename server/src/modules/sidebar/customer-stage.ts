// Where a customer stands on the life path (承接 → 互动 → 转化 → 复购) and which segments they are in.
// The scripts ranking reads it through `app.customerStage`. The heuristic here uses the follow's add
// date and tags; the segments module wraps it with what orders and segments say
// (`modules/segments/segment-stage.ts`).
import type { DataSource } from 'typeorm'
import type { CustomerStage, LifeNode } from '@scrm/shared'
import { CustomerFollowEntity, FollowTagEntity } from '../directory/follow.entity.ts'

export interface CustomerStageResolver {
  /** `known`: what the caller already read about the follow, so the heuristic need not read it again. */
  resolve(
    userId: string,
    externalUserId: string,
    known?: { addTime: Date; tagIds: string[] },
  ): Promise<CustomerStage | null>
}

const DAY_MS = 86_400_000

/** The heuristic: new in the last 3 days → take-over; untagged → interaction (we don't know them yet);
 *  followed for 30+ days → repurchase; otherwise conversion. Every tag on the follow is a segment. */
export function deriveNode(addTime: Date, tagCount: number, now = Date.now()): LifeNode {
  const days = (now - addTime.getTime()) / DAY_MS
  if (days < 3) return 'takeover'
  if (tagCount === 0) return 'interaction'
  if (days >= 30) return 'repurchase'
  return 'conversion'
}

export function heuristicStageResolver(db: DataSource): CustomerStageResolver {
  return {
    async resolve(userId, externalUserId, known) {
      if (known)
        return {
          node: deriveNode(known.addTime, known.tagIds.length),
          segmentTagIds: [...known.tagIds].sort(),
        }
      const follow = await db
        .getRepository(CustomerFollowEntity)
        .findOneBy({ userId, externalUserId, status: 'active' })
      if (!follow) return null
      const tags = await db.getRepository(FollowTagEntity).findBy({ userId, externalUserId })
      return {
        node: deriveNode(follow.addTime, tags.length),
        segmentTagIds: tags.map((t) => t.tagId).sort(),
      }
    },
  }
}
