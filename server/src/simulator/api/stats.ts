// Statistics (联系客户统计 / 群聊数据统计), derived from the simulated data so numbers move with scenarios.
import type { SimulatedCorp } from '../corp.ts'
import { Err, fail } from '../errors.ts'
import { strList, type ApiRoute } from '../http.ts'

const DAY = 86_400

/** Span ≤30 days within the last 180, as WeCom requires; returns day starts (UTC+8 midnight). */
function days(corp: SimulatedCorp, start: number, end: number): number[] {
  if (!start || !end || end < start) fail(Err.invalidParam, 'invalid start_time / end_time')
  if (end - start > 30 * DAY) fail(Err.invalidParam, 'time span exceeds 30 days')
  if (corp.now() - start > 180 * DAY) fail(Err.invalidParam, 'start_time earlier than 180 days ago')
  const first = start - ((start + 8 * 3600) % DAY)
  const out: number[] = []
  for (let d = first; d <= end; d += DAY) out.push(d)
  return out
}

/** Stable pseudo-activity so charts look alive without being random between calls. */
const activity = (seed: string, max: number) =>
  [...seed].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7) % (max + 1)

function groupStat(corp: SimulatedCorp, owners: string[], from: number, to: number) {
  const groups = [...corp.data.groups.values()].filter(
    (g) => !g.dismissed && owners.includes(g.owner) && g.create_time < to,
  )
  const members = groups.flatMap((g) => g.member_list)
  return {
    new_chat_cnt: groups.filter((g) => g.create_time >= from).length,
    chat_total: groups.length,
    chat_has_msg: Math.min(groups.length, activity(`${owners}${from}c`, groups.length)),
    new_member_cnt: members.filter((m) => m.join_time >= from && m.join_time < to).length,
    member_total: members.length,
    member_has_msg: Math.min(members.length, activity(`${owners}${from}m`, members.length)),
    msg_total: activity(`${owners}${from}t`, 300),
    migrate_trainee_chat_cnt: 0,
  }
}

/** The owner filter and the day span both group-chat statistics calls take. */
function ownersAndDays(corp: SimulatedCorp, body: Record<string, any>): { owners: string[]; span: number[] } {
  const owners = strList(body.owner_filter?.userid_list)
  if (owners.length === 0) fail(Err.invalidParam, 'owner_filter.userid_list missing')
  const begin = Number(body.day_begin_time)
  return { owners, span: days(corp, begin, Number(body.day_end_time) || begin) }
}

export const statsRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/get_user_behavior_data',
    handler: ({ corp, body }) => {
      const users = strList(body.userid)
      if (users.length === 0 && strList(body.partyid).length === 0)
        fail(Err.invalidParam, 'userid and partyid both empty')
      const picked = users.length > 0 ? users : [...corp.data.staff.keys()]
      const follows = [...corp.data.customers.values()].flatMap((c) =>
        c.follows.filter((f) => picked.includes(f.userid)),
      )
      return {
        behavior_data: days(corp, Number(body.start_time), Number(body.end_time)).map((d) => {
          const added = follows.filter((f) => f.createtime >= d && f.createtime < d + DAY).length
          const chats = activity(`${picked}${d}`, 40)
          return {
            stat_time: d,
            chat_cnt: chats,
            message_cnt: chats * 3,
            reply_percentage: chats ? 80 + activity(`${d}r`, 20) : 0,
            avg_reply_time: chats ? 1 + activity(`${d}a`, 30) : 0,
            negative_feedback_cnt: 0,
            new_apply_cnt: added,
            new_contact_cnt: added,
          }
        }),
      }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/groupchat/statistic',
    handler: ({ corp, body }) => {
      const { owners, span } = ownersAndDays(corp, body)
      const from = span[0]
      const to = span[span.length - 1] + DAY
      const items = owners.map((owner) => ({ owner, data: groupStat(corp, [owner], from, to) }))
      const orderBy = ['', 'chat_total', 'new_chat_cnt', 'new_member_cnt', 'member_total'][
        Number(body.order_by) || 1
      ] as 'chat_total'
      items.sort((a, b) => (Number(body.order_asc) === 1 ? 1 : -1) * (a.data[orderBy] - b.data[orderBy]))
      const offset = Number(body.offset) || 0
      const limit = Math.min(1000, Number(body.limit) || 500)
      const slice = items.slice(offset, offset + limit)
      return { total: items.length, next_offset: offset + slice.length, items: slice }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/groupchat/statistic_group_by_day',
    handler: ({ corp, body }) => {
      const { owners, span } = ownersAndDays(corp, body)
      return { items: span.map((d) => ({ stat_time: d, data: groupStat(corp, owners, d, d + DAY) })) }
    },
  },
]
