// Which pool groups a group code's join way should list. Pure, so the rule is tested on its own.
import { GROUP_JOIN_WAY_MAX } from '@scrm/shared'

export interface PoolCandidate {
  chatId: string
  members: number
  /** Exists and is not dismissed. */
  active: boolean
}

export interface LivePlan {
  live: string[]
  /** No pool group is below the threshold: the list is a fallback, not a normal rotation. */
  exhausted: boolean
}

/**
 * Groups below the threshold, the currently listed ones first in their current order (a group that
 * dipped below the threshold after a quit does not push out a live one), then the next ones in pool
 * order, at most 5. A group at or above the threshold never stays in or enters the list while an
 * open group exists, so with threshold < 200 a group leaves before WeCom's hard limit.
 *
 * When every pool group is at the threshold the list must still not be empty (WeCom rejects an empty
 * chat_id_list and a code pointing at nothing loses customers): with auto-create the least-full of the
 * listed groups stays alone (no full group is brought back), so WeCom opens a new group as soon as it
 * reaches 200, which the next rotation adopts; without auto-create the least-full pool groups (≤5) are
 * listed, to take as many members as possible until the admin adds groups.
 */
export function planLive(
  pool: PoolCandidate[],
  current: string[],
  threshold: number,
  autoCreate: boolean,
): LivePlan {
  const usable = pool.filter((p) => p.active)
  const open = usable.filter((p) => p.members < threshold)
  const openIds = new Set(open.map((p) => p.chatId))
  const kept = current.filter((id, i) => openIds.has(id) && current.indexOf(id) === i)
  const next = open.map((p) => p.chatId).filter((id) => !kept.includes(id))
  const live = [...kept, ...next].slice(0, GROUP_JOIN_WAY_MAX)
  if (live.length) return { live, exhausted: false }
  if (!usable.length) return { live: [...new Set(current)].slice(0, GROUP_JOIN_WAY_MAX), exhausted: true }
  const order = new Map(usable.map((p, i) => [p.chatId, i]))
  const leastFull = (list: PoolCandidate[]) =>
    [...list].sort((a, b) => a.members - b.members || order.get(a.chatId)! - order.get(b.chatId)!)
  if (autoCreate) {
    // Never bring a full group back: narrow the current list to its least-full group; WeCom opens a
    // new group when that one reaches 200.
    const listed = usable.filter((p) => current.includes(p.chatId))
    return {
      live: leastFull(listed.length ? listed : usable)
        .slice(0, 1)
        .map((p) => p.chatId),
      exhausted: true,
    }
  }
  return {
    live: leastFull(usable)
      .slice(0, GROUP_JOIN_WAY_MAX)
      .map((p) => p.chatId),
    exhausted: true,
  }
}

export function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}
