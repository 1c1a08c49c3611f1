// Customer groups (客户群): list and detail.
import { Err, fail } from '../errors.ts'
import { page, requireStr, strList, type ApiRoute } from '../http.ts'
import type { CustomerGroup } from '../types.ts'

export function groupOut(g: CustomerGroup, needName: boolean): Record<string, unknown> {
  return {
    chat_id: g.chat_id,
    name: g.name,
    owner: g.owner,
    create_time: g.create_time,
    notice: g.notice,
    member_list: g.member_list.map(({ name, ...m }) => (needName ? { ...m, name } : m)),
    admin_list: g.admin_list,
    member_version: String(g.member_version),
  }
}

export const groupRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/groupchat/list',
    handler: ({ corp, body }) => {
      const limit = Number(body.limit)
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        fail(Err.invalidParam, 'limit must be 1-1000')
      const status = Number(body.status_filter) || 0
      const owners = strList(body.owner_filter?.userid_list)
      const list = [...corp.data.groups.values()].filter(
        (g) =>
          !g.dismissed &&
          (status === 0 || g.status === status) &&
          (owners.length === 0 || owners.includes(g.owner)),
      )
      const { items, next_cursor } = page(list, body.cursor, limit)
      return { group_chat_list: items.map((g) => ({ chat_id: g.chat_id, status: g.status })), next_cursor }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/groupchat/get',
    handler: ({ corp, body }) => {
      const chatId = requireStr(body.chat_id, Err.invalidChatId, 'chat_id')
      return { group_chat: groupOut(corp.group(chatId), Number(body.need_name) === 1) }
    },
  },
]
