// 「联系我」 contact ways (渠道活码): add / update / get / list / delete.
import type { SimulatedCorp } from '../corp.ts'
import { Err, fail } from '../errors.ts'
import { charLen, page, requireStr, str, strList, type ApiRoute } from '../http.ts'
import type { ContactWay } from '../types.ts'

export const qrUrl = (baseUrl: string, kind: 'contact_way' | 'join_way', id: string) =>
  `${baseUrl}/_qr/${kind}/${id}.png`

export function contactWayOut(w: ContactWay, baseUrl: string): Record<string, unknown> {
  const { next_user: _n, create_time: _c, ...rest } = w
  return { ...rest, ...(w.scene === 2 ? { qr_code: qrUrl(baseUrl, 'contact_way', w.config_id) } : {}) }
}

function wayOrFail(corp: SimulatedCorp, configId: unknown): ContactWay {
  const id = requireStr(configId, Err.missingConfigId, 'config_id')
  const way = corp.data.contactWays.get(id)
  if (!way) fail(Err.invalidConfigId, 'invalid config_id')
  return way
}

function checkState(state: unknown): string {
  const s = str(state) ?? ''
  if (charLen(s) > 30) fail(Err.invalidParam, 'state exceeds 30 characters')
  return s
}

function checkUsers(corp: SimulatedCorp, type: 1 | 2, users: string[], party: number[]): void {
  if (users.length === 0 && party.length === 0) fail(Err.invalidParam, 'user and party both empty')
  if (users.length > 100) fail(Err.contactWayUserLimit, 'contact way user count exceeds 100')
  if (type === 1 && (users.length !== 1 || party.length > 0))
    fail(Err.invalidParam, 'type 1 takes exactly one user')
  for (const u of users) corp.staff(u)
}

export const contactWayRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/add_contact_way',
    handler: ({ corp, body, baseUrl }) => {
      if (body.type === undefined) fail(Err.missingContactWayType, 'type missing')
      if (body.scene === undefined) fail(Err.missingContactWayScene, 'scene missing')
      const type = Number(body.type)
      const scene = Number(body.scene)
      if (type !== 1 && type !== 2) fail(Err.invalidContactWayType, 'invalid type')
      if (scene !== 1 && scene !== 2) fail(Err.invalidContactWayScene, 'invalid scene')
      const user = strList(body.user)
      const party = Array.isArray(body.party) ? body.party.map(Number) : []
      const state = checkState(body.state)
      checkUsers(corp, type, user, party)
      if (corp.data.contactWays.size + corp.data.joinWays.size >= 500_000)
        fail(41045, 'contact way quota reached')
      const way: ContactWay = {
        config_id: corp.ids.hex(32),
        type,
        scene,
        ...(body.style !== undefined ? { style: Number(body.style) } : {}),
        remark: [...(str(body.remark) ?? '')].slice(0, 30).join(''),
        skip_verify: body.skip_verify !== false,
        state,
        user,
        party,
        is_temp: body.is_temp === true,
        ...(body.is_temp === true
          ? {
              expires_in: Number(body.expires_in) || 7 * 86400,
              chat_expires_in: Number(body.chat_expires_in) || 86400,
            }
          : {}),
        ...(str(body.unionid) ? { unionid: str(body.unionid) } : {}),
        ...(body.conclusions ? { conclusions: body.conclusions } : {}),
        create_time: corp.now(),
        next_user: 0,
      }
      corp.data.contactWays.set(way.config_id, way)
      return {
        config_id: way.config_id,
        ...(scene === 2 ? { qr_code: qrUrl(baseUrl, 'contact_way', way.config_id) } : {}),
      }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/update_contact_way',
    handler: ({ corp, body }) => {
      const way = wayOrFail(corp, body.config_id)
      const user = body.user !== undefined ? strList(body.user) : way.user
      const party = body.party !== undefined && Array.isArray(body.party) ? body.party.map(Number) : way.party
      const state = body.state !== undefined ? checkState(body.state) : way.state
      checkUsers(corp, way.type, user, party)
      // Fields left out stay as they were (unlike update_join_way).
      Object.assign(way, { user, party, state })
      if (body.remark !== undefined) way.remark = [...(str(body.remark) ?? '')].slice(0, 30).join('')
      if (body.skip_verify !== undefined) way.skip_verify = body.skip_verify !== false
      if (body.style !== undefined) way.style = Number(body.style)
      if (body.expires_in !== undefined) way.expires_in = Number(body.expires_in)
      if (body.chat_expires_in !== undefined) way.chat_expires_in = Number(body.chat_expires_in)
      if (body.unionid !== undefined) way.unionid = str(body.unionid)
      if (body.conclusions !== undefined) way.conclusions = body.conclusions
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/get_contact_way',
    handler: ({ corp, body, baseUrl }) => ({
      contact_way: contactWayOut(wayOrFail(corp, body.config_id), baseUrl),
    }),
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/list_contact_way',
    handler: ({ corp, body }) => {
      const end = Number(body.end_time) || corp.now()
      const start = Number(body.start_time) || end - 90 * 86400
      if (end - start > 90 * 86400) fail(Err.invalidParam, 'time span exceeds 90 days')
      const limit = Math.min(1000, Math.max(1, Number(body.limit) || 100))
      const ways = [...corp.data.contactWays.values()].filter(
        (w) => w.create_time >= start && w.create_time <= end,
      )
      const { items, next_cursor } = page(ways, body.cursor, limit)
      return { contact_way: items.map((w) => ({ config_id: w.config_id })), next_cursor }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/del_contact_way',
    handler: ({ corp, body }) => {
      corp.data.contactWays.delete(wayOrFail(corp, body.config_id).config_id)
    },
  },
]
