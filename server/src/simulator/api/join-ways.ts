// Group join ways (加入群聊 / 群活码): CRUD, plus the join logic WeCom applies when a customer scans one.
import type { SimulatedCorp } from '../corp.ts'
import { Err, fail } from '../errors.ts'
import { charLen, requireStr, str, strList, type ApiRoute } from '../http.ts'
import type { CustomerGroup, JoinWay } from '../types.ts'
import { qrUrl } from './contact-ways.ts'

export const MAX_JOIN_WAY_CHATS = 5

function joinWayOrFail(corp: SimulatedCorp, configId: unknown): JoinWay {
  const id = requireStr(configId, Err.missingConfigId, 'config_id')
  const way = corp.data.joinWays.get(id)
  if (!way) fail(Err.invalidConfigId, 'invalid config_id')
  return way
}

/** Validates a full join-way body (add and update take the same fields; update overwrites all). */
function readJoinWay(
  corp: SimulatedCorp,
  body: Record<string, unknown>,
): Omit<JoinWay, 'config_id' | 'create_time'> {
  const scene = Number(body.scene)
  if (scene !== 1 && scene !== 2) fail(Err.invalidParam, 'invalid scene')
  const chatIds = strList(body.chat_id_list)
  if (chatIds.length === 0) fail(Err.invalidParam, 'chat_id_list missing')
  if (chatIds.length > MAX_JOIN_WAY_CHATS) fail(Err.invalidParam, 'chat_id_list exceeds 5')
  for (const id of chatIds) corp.group(id)
  const state = str(body.state) ?? ''
  if (charLen(state) > 30) fail(Err.invalidParam, 'state exceeds 30 characters')
  const autoCreate = body.auto_create_room === undefined ? 1 : Number(body.auto_create_room) === 1 ? 1 : 0
  const roomBaseName = str(body.room_base_name) ?? ''
  if (charLen(roomBaseName) > 40) fail(Err.invalidParam, 'room_base_name exceeds 40 characters')
  return {
    scene,
    remark: [...(str(body.remark) ?? '')].slice(0, 30).join(''),
    auto_create_room: autoCreate,
    room_base_name: roomBaseName,
    room_base_id: Number(body.room_base_id) || 0,
    chat_id_list: chatIds,
    state,
  }
}

export interface JoinOutcome {
  group?: CustomerGroup
  /** Set when every listed group was full and WeCom opened a new one. */
  created?: CustomerGroup
  full?: boolean
}

/**
 * WeCom's behaviour: the customer lands in the first listed group with room; when all are full and
 * auto_create_room=1, a new group `${room_base_name}${room_base_id}` owned by the first group's owner is
 * created and added to the join way (room_base_id then counts up). When the way already lists 5 groups
 * the oldest full one leaves the list (the list never exceeds 5) — our reading of the console behaviour.
 */
export function joinViaJoinWay(corp: SimulatedCorp, way: JoinWay, memberId: string): JoinOutcome {
  const live = way.chat_id_list
    .map((id) => corp.data.groups.get(id))
    .filter((g): g is CustomerGroup => !!g && !g.dismissed)
  let group = live.find((g) => !corp.isFull(g))
  let created: CustomerGroup | undefined
  if (!group) {
    if (way.auto_create_room !== 1 || live.length === 0) return { full: true }
    created = corp.createGroup(live[0].owner, `${way.room_base_name}${way.room_base_id}`)
    way.room_base_id++
    if (way.chat_id_list.length >= MAX_JOIN_WAY_CHATS) way.chat_id_list.shift()
    way.chat_id_list.push(created.chat_id)
    group = created
  }
  corp.joinGroup(group, memberId, { scene: 3 })
  return { group, created }
}

export const joinWayRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/groupchat/add_join_way',
    handler: ({ corp, body }) => {
      const way: JoinWay = {
        config_id: corp.ids.hex(32),
        ...readJoinWay(corp, body),
        create_time: corp.now(),
      }
      corp.data.joinWays.set(way.config_id, way)
      return { config_id: way.config_id }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/groupchat/get_join_way',
    handler: ({ corp, body, baseUrl }) => {
      const { create_time: _c, ...way } = joinWayOrFail(corp, body.config_id)
      return { join_way: { ...way, qr_code: qrUrl(baseUrl, 'join_way', way.config_id) } }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/groupchat/update_join_way',
    handler: ({ corp, body }) => {
      const way = joinWayOrFail(corp, body.config_id)
      const before = [...way.chat_id_list]
      Object.assign(way, readJoinWay(corp, body))
      for (const observe of corp.joinWayObservers) observe(way, before)
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/groupchat/del_join_way',
    handler: ({ corp, body }) => {
      corp.data.joinWays.delete(joinWayOrFail(corp, body.config_id).config_id)
    },
  },
]
