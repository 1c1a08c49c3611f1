// Corp tags (企业客户标签): list, add, edit, delete, and marking customers.
import type { SimulatedCorp } from '../corp.ts'
import { Err, fail } from '../errors.ts'
import { charLen, requireStr, strList, str, type ApiRoute } from '../http.ts'
import type { CorpTag, TagGroup } from '../types.ts'

const tagOut = (t: CorpTag) => ({
  id: t.id,
  name: t.name,
  create_time: t.create_time,
  order: t.order,
  deleted: false,
})

export function tagGroupOut(g: TagGroup, tags: CorpTag[] = g.tags) {
  return {
    group_id: g.group_id,
    group_name: g.group_name,
    create_time: g.create_time,
    order: g.order,
    deleted: false,
    tag: tags.map(tagOut),
  }
}

function checkName(name: string): void {
  if (charLen(name) === 0 || charLen(name) > 30) fail(Err.invalidTagName, 'invalid tag name')
}

/** Removes tags (and groups left empty) and strips them from every customer. */
export function deleteTags(corp: SimulatedCorp, tagIds: string[], groupIds: string[]): void {
  const removed = new Set(tagIds)
  for (const g of corp.data.tagGroups) {
    if (groupIds.includes(g.group_id)) g.tags.forEach((t) => removed.add(t.id))
    g.tags = g.tags.filter((t) => !removed.has(t.id))
  }
  corp.data.tagGroups = corp.data.tagGroups.filter((g) => g.tags.length > 0)
  for (const c of corp.data.customers.values())
    for (const f of c.follows) f.tag_ids = f.tag_ids.filter((id) => !removed.has(id))
}

export const tagRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/get_corp_tag_list',
    handler: ({ corp, body }) => {
      const tagIds = strList(body.tag_id)
      const groupIds = strList(body.group_id)
      const groups = corp.data.tagGroups
      // tag_id wins over group_id, as documented.
      if (tagIds.length > 0) {
        return {
          tag_group: groups
            .map((g) => ({ g, tags: g.tags.filter((t) => tagIds.includes(t.id)) }))
            .filter((x) => x.tags.length > 0)
            .map((x) => tagGroupOut(x.g, x.tags)),
        }
      }
      const picked = groupIds.length > 0 ? groups.filter((g) => groupIds.includes(g.group_id)) : groups
      return { tag_group: picked.map((g) => tagGroupOut(g)) }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/add_corp_tag',
    handler: ({ corp, body }) => {
      const wanted = Array.isArray(body.tag) ? (body.tag as { name?: unknown; order?: unknown }[]) : []
      if (wanted.length === 0) fail(Err.invalidParam, 'tag list is empty')
      let group: TagGroup | undefined
      if (str(body.group_id)) {
        group = corp.data.tagGroups.find((g) => g.group_id === body.group_id)
        if (!group) fail(Err.invalidTagId, 'invalid group_id')
      } else {
        const name = requireStr(body.group_name, Err.invalidParam, 'group_name')
        checkName(name)
        group = corp.data.tagGroups.find((g) => g.group_name === name)
        if (!group) {
          group = {
            group_id: corp.ids.prefixed('et'),
            group_name: name,
            create_time: corp.now(),
            order: Number(body.order) || 0,
            tags: [],
          }
          corp.data.tagGroups.push(group)
        }
      }
      const created: CorpTag[] = []
      for (const w of wanted) {
        const name = requireStr(w.name, Err.invalidTagName, 'tag name')
        checkName(name)
        if (group.tags.some((t) => t.name === name)) fail(Err.invalidTagName, `tag name exists: ${name}`)
        const tag = {
          id: corp.ids.prefixed('et'),
          name,
          create_time: corp.now(),
          order: Number(w.order) || 0,
        }
        group.tags.push(tag)
        created.push(tag)
      }
      const total = corp.data.tagGroups.reduce((n, g) => n + g.tags.length, 0)
      if (total > 10_000) fail(40126, 'corp tag count exceeds limit')
      return { tag_group: tagGroupOut(group, created) }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/edit_corp_tag',
    handler: ({ corp, body }) => {
      const id = requireStr(body.id, Err.invalidTagId, 'id')
      const name = str(body.name)
      if (name !== undefined) checkName(name)
      const group = corp.data.tagGroups.find((g) => g.group_id === id)
      const target = group ?? corp.findTag(id)?.tag
      if (!target) fail(Err.invalidTagId, 'invalid tag id')
      if (group && name !== undefined) group.group_name = name
      if (!group && name !== undefined) (target as CorpTag).name = name
      if (body.order !== undefined) target.order = Number(body.order) || 0
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/del_corp_tag',
    handler: ({ corp, body }) => {
      const tagIds = strList(body.tag_id)
      const groupIds = strList(body.group_id)
      if (tagIds.length === 0 && groupIds.length === 0)
        fail(Err.invalidParam, 'tag_id and group_id both empty')
      for (const id of tagIds) if (!corp.findTag(id)) fail(Err.invalidTagId, `invalid tag id: ${id}`)
      for (const id of groupIds)
        if (!corp.data.tagGroups.some((g) => g.group_id === id))
          fail(Err.invalidTagId, `invalid group id: ${id}`)
      deleteTags(corp, tagIds, groupIds)
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/mark_tag',
    handler: ({ corp, body }) => {
      const userid = requireStr(body.userid, Err.missingUserId, 'userid')
      const id = requireStr(body.external_userid, Err.missingExternalUserId, 'external_userid')
      const add = strList(body.add_tag)
      const remove = strList(body.remove_tag)
      if (add.length === 0 && remove.length === 0) fail(Err.invalidParam, 'add_tag and remove_tag both empty')
      for (const t of [...add, ...remove])
        if (!corp.findTag(t)) fail(Err.invalidTagId, `invalid tag id: ${t}`)
      corp.staff(userid)
      const f = corp.follow(corp.customer(id), userid)
      if (!f) fail(Err.noRelation, 'no external contact relation')
      f.tag_ids = [...new Set([...f.tag_ids.filter((t) => !remove.includes(t)), ...add])]
    },
  },
]
