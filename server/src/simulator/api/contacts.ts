// Customers (客户): follow-user list, per-staff list, detail, batch by staff, remark.
import type { SimulatedCorp } from '../corp.ts'
import { Err, fail } from '../errors.ts'
import { page, requireStr, strList, type ApiRoute } from '../http.ts'
import type { Customer, FollowRelation } from '../types.ts'

export function profileOf(c: Customer): Record<string, unknown> {
  const { follows: _follows, ...profile } = c
  return profile
}

/** follow_user entry of externalcontact/get: tags spelled out. */
export function followUserOf(corp: SimulatedCorp, f: FollowRelation): Record<string, unknown> {
  const { tag_ids, deleted_by_customer: _d, ...rest } = f
  const tags = tag_ids.flatMap((id) => {
    const hit = corp.findTag(id)
    return hit ? [{ group_name: hit.group.group_name, tag_name: hit.tag.name, tag_id: id, type: 1 }] : []
  })
  return { ...rest, tags }
}

/** follow_info entry of batch/get_by_user: tag ids only. */
function followInfoOf(f: FollowRelation): Record<string, unknown> {
  const { tag_ids, deleted_by_customer: _d, ...rest } = f
  return { ...rest, tag_id: tag_ids }
}

export const contactRoutes: ApiRoute[] = [
  {
    // 通讯录 user/get: the member's profile (name, avatar), which the directory mirror shows.
    method: 'GET',
    path: '/cgi-bin/user/get',
    handler: ({ corp, query }) => {
      const s = corp.staff(requireStr(query.userid, Err.missingUserId, 'userid'))
      return {
        userid: s.userid,
        name: s.name,
        avatar: s.avatar,
        department: s.department,
        status: s.resigned ? 5 : 1,
      }
    },
  },
  {
    method: 'GET',
    path: '/cgi-bin/externalcontact/get_follow_user_list',
    handler: ({ corp }) => ({
      follow_user: [...corp.data.staff.values()].filter((s) => !s.resigned).map((s) => s.userid),
    }),
  },
  {
    method: 'GET',
    path: '/cgi-bin/externalcontact/list',
    handler: ({ corp, query }) => {
      const userid = requireStr(query.userid, Err.missingUserId, 'userid')
      corp.staff(userid)
      const list = corp.customersOf(userid).map((c) => c.external_userid)
      if (list.length === 0) fail(Err.noRelation, 'no external contact relation')
      return { external_userid: list }
    },
  },
  {
    method: 'GET',
    path: '/cgi-bin/externalcontact/get',
    handler: ({ corp, query }) => {
      const id = requireStr(query.external_userid, Err.missingExternalUserId, 'external_userid')
      const c = corp.customer(id)
      // follow_user pages at 500 per call; the cursor is only present when there are more.
      const { items, next_cursor } = page(c.follows, query.cursor, 500)
      return {
        external_contact: profileOf(c),
        follow_user: items.map((f) => followUserOf(corp, f)),
        ...(next_cursor ? { next_cursor } : {}),
      }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/batch/get_by_user',
    handler: ({ corp, body }) => {
      const userids = strList(body.userid_list)
      if (userids.length === 0) fail(Err.missingUserId, 'userid_list missing')
      if (userids.length > 100) fail(Err.invalidParam, 'userid_list exceeds 100')
      for (const u of userids) corp.staff(u)
      const limit = Math.min(100, Math.max(1, Number(body.limit) || 50))
      const rows = userids.flatMap((u) =>
        corp
          .customersOf(u)
          .map((c) => ({ external_contact: profileOf(c), follow_info: followInfoOf(corp.follow(c, u)!) })),
      )
      const { items, next_cursor } = page(rows, body.cursor, limit)
      return { external_contact_list: items, next_cursor }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/remark',
    handler: ({ corp, body }) => {
      const userid = requireStr(body.userid, Err.missingUserId, 'userid')
      const id = requireStr(body.external_userid, Err.missingExternalUserId, 'external_userid')
      corp.staff(userid)
      const f = corp.follow(corp.customer(id), userid)
      if (!f) fail(Err.noRelation, 'no external contact relation')
      if (typeof body.remark === 'string') f.remark = body.remark
      if (typeof body.description === 'string') f.description = body.description
      if (typeof body.remark_company === 'string') f.remark_corp_name = body.remark_company
      if (Array.isArray(body.remark_mobiles)) {
        const mobiles = strList(body.remark_mobiles)
        if (mobiles.length > 5) fail(Err.invalidParam, 'remark_mobiles exceeds 5')
        f.remark_mobiles = mobiles
      }
    },
  },
]
