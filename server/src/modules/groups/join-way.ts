// WeCom's group join way (加入群聊): the calls and the one full body update_join_way needs.
import type { WeComClient } from '../../wecom/client.ts'
import type { GroupChatDetail } from '../../wecom/api-types.ts'
import type { GroupCode } from './group-code.entity.ts'

export interface JoinWayInfo {
  config_id: string
  scene: number
  remark?: string
  auto_create_room?: number
  room_base_name?: string
  room_base_id?: number
  chat_id_list?: string[]
  qr_code?: string
  state?: string
}

/** WeCom answers 41044 (invalid config_id) for a join way that is already gone. */
export const JOIN_WAY_GONE = 41044
/** groupchat/get of a dismissed or unknown group. */
export const CHAT_GONE = new Set([40050, 90500, 49008])

export const stateOf = (codeId: number) => `gc:${codeId}`

const truncate = (s: string, n: number) => [...s].slice(0, n).join('')

/**
 * update_join_way overwrites every field, so add and update send the same complete body. room_base_id
 * is WeCom's current counter (it counts up as WeCom auto-creates groups): sending our stale number back
 * would make it reuse names.
 */
export function joinWayBody(
  code: Pick<GroupCode, 'id' | 'name' | 'autoCreate' | 'roomBaseName' | 'roomBaseId'>,
  chatIds: string[],
  roomBaseId: number | null,
): Record<string, unknown> {
  if (chatIds.length === 0) throw new Error('refusing to send an empty chat_id_list')
  const body: Record<string, unknown> = {
    scene: 2,
    remark: truncate(code.name, 30),
    auto_create_room: code.autoCreate ? 1 : 0,
    chat_id_list: chatIds,
    state: stateOf(code.id),
  }
  if (code.autoCreate) {
    body.room_base_name = truncate(code.roomBaseName || code.name, 40)
    body.room_base_id = roomBaseId ?? code.roomBaseId ?? 1
  }
  return body
}

export class JoinWayApi {
  constructor(private readonly wecom: WeComClient) {}

  async add(body: Record<string, unknown>): Promise<string> {
    const res = await this.wecom.post<{ config_id: string }>('externalcontact/groupchat/add_join_way', body)
    return res.config_id
  }

  async get(configId: string): Promise<JoinWayInfo> {
    const res = await this.wecom.post<{ join_way: JoinWayInfo }>('externalcontact/groupchat/get_join_way', {
      config_id: configId,
    })
    return res.join_way
  }

  async update(configId: string, body: Record<string, unknown>): Promise<void> {
    await this.wecom.post('externalcontact/groupchat/update_join_way', { config_id: configId, ...body })
  }

  async del(configId: string): Promise<void> {
    await this.wecom.post('externalcontact/groupchat/del_join_way', { config_id: configId })
  }

  async group(chatId: string): Promise<GroupChatDetail> {
    const res = await this.wecom.post<{ group_chat: GroupChatDetail }>('externalcontact/groupchat/get', {
      chat_id: chatId,
      need_name: 0,
    })
    return res.group_chat
  }
}
