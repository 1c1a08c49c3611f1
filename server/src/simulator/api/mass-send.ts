// Mass send (群发) and moments (朋友圈): tasks are created here, staff confirm through the driver.
import type { SimulatedCorp } from '../corp.ts'
import { Err, fail } from '../errors.ts'
import { page, requireStr, str, strList, type ApiRoute } from '../http.ts'
import type { MassSend, MassSendResult } from '../types.ts'
import { checkAttachments, checkText } from './welcome.ts'

const MOMENTS_PER_MINUTE = 10

function massSendOrFail(corp: SimulatedCorp, msgid: unknown): MassSend {
  const m = corp.data.massSends.get(requireStr(msgid, Err.missingMsgId, 'msgid'))
  if (!m) fail(Err.invalidMsgId, 'invalid msgid')
  return m
}

function singleTargets(corp: SimulatedCorp, externalIds: string[], sender?: string) {
  const results: MassSendResult[] = []
  const fail_list: string[] = []
  const ids = externalIds.length > 0 ? externalIds : [...corp.data.customers.keys()]
  for (const id of ids) {
    const c = corp.data.customers.get(id)
    const follows = (c?.follows ?? []).filter(
      (f) => !f.deleted_by_customer && (!sender || f.userid === sender),
    )
    if (follows.length === 0) {
      if (externalIds.length > 0) fail_list.push(id)
      continue
    }
    // One message per customer: WeCom sends through one follower (the sender, else the first follower).
    results.push({ userid: follows[0].userid, external_userid: id, status: 0 })
  }
  return { results, fail_list }
}

/** Called by the driver when a staff member confirms a mass send in the WeCom client. */
export function confirmMassSend(corp: SimulatedCorp, m: MassSend, userid: string): MassSendResult[] {
  const task = m.tasks.find((t) => t.userid === userid)
  if (!task) fail(Err.invalidUserId, `no task for ${userid}`)
  const now = corp.now()
  const dayStart = now - (now % 86400)
  task.status = 2
  task.send_time = now
  const mine = m.results.filter((r) => r.userid === userid && r.status === 0)
  for (const r of mine) {
    const c = r.external_userid ? corp.data.customers.get(r.external_userid) : undefined
    const receivedToday =
      m.chat_type === 'single' &&
      [...corp.data.massSends.values()].some(
        (o) =>
          o !== m &&
          o.create_type === 0 &&
          o.results.some(
            (x) =>
              x.external_userid === r.external_userid && x.status === 1 && (x.send_time ?? 0) >= dayStart,
          ),
      )
    r.status = m.chat_type === 'group' ? 1 : !c || !corp.follow(c, userid) ? 2 : receivedToday ? 3 : 1
    r.send_time = now
  }
  return mine
}

export const massSendRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/add_msg_template',
    handler: ({ corp, body }) => {
      const chatType = body.chat_type === 'group' ? 'group' : 'single'
      const sender = str(body.sender)
      if (sender) corp.staff(sender)
      const text = checkText(body.text)
      const attachments = checkAttachments(corp, body.attachments)
      if (!text?.content && attachments.length === 0)
        fail(Err.emptyContent, 'text and attachments both empty')
      let results: MassSendResult[] = []
      let fail_list: string[] = []
      if (chatType === 'single') {
        const ids = strList(body.external_userid)
        if (ids.length > 10_000) fail(Err.invalidParam, 'external_userid exceeds 10000')
        ;({ results, fail_list } = singleTargets(corp, ids, sender))
      } else {
        if (!sender) fail(Err.invalidParam, 'sender is required for group mass send')
        const wanted = strList(body.chat_id_list)
        if (wanted.length > 2000) fail(Err.invalidParam, 'chat_id_list exceeds 2000')
        const groups = [...corp.data.groups.values()].filter(
          (g) => !g.dismissed && g.owner === sender && (wanted.length === 0 || wanted.includes(g.chat_id)),
        )
        results = groups.map((g) => ({ userid: sender, chat_id: g.chat_id, status: 0 as const }))
      }
      if (results.length === 0) fail(Err.noCustomers, 'no customers to send to')
      const m: MassSend = {
        msgid: `msg${corp.ids.chars(29)}`,
        chat_type: chatType,
        creator: sender ?? '',
        create_type: 0,
        create_time: corp.now(),
        ...(text ? { text } : {}),
        attachments,
        tasks: [...new Set(results.map((r) => r.userid))].map((userid) => ({ userid, status: 0 as const })),
        results,
        canceled: false,
        reminders: 0,
      }
      corp.data.massSends.set(m.msgid, m)
      return { fail_list, msgid: m.msgid }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/get_groupmsg_list_v2',
    handler: ({ corp, body }) => {
      const start = Number(body.start_time)
      const end = Number(body.end_time)
      if (!start || !end || end < start) fail(Err.invalidParam, 'start_time and end_time required')
      if (end - start > 31 * 86400) fail(Err.invalidParam, 'time span exceeds one month')
      const chatType = body.chat_type === 'group' ? 'group' : 'single'
      const filterType = body.filter_type === undefined ? 2 : Number(body.filter_type)
      const list = [...corp.data.massSends.values()].filter(
        (m) =>
          m.chat_type === chatType &&
          m.create_time >= start &&
          m.create_time <= end &&
          (filterType === 2 || m.create_type === filterType) &&
          (!body.creator || m.creator === body.creator),
      )
      const { items, next_cursor } = page(list, body.cursor, Math.min(100, Number(body.limit) || 50))
      return {
        next_cursor,
        group_msg_list: items.map((m) => ({
          msgid: m.msgid,
          creator: m.creator,
          create_time: String(m.create_time),
          create_type: m.create_type,
          ...(m.text ? { text: m.text } : {}),
          attachments: m.attachments,
        })),
      }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/get_groupmsg_task',
    handler: ({ corp, body }) => {
      const m = massSendOrFail(corp, body.msgid)
      const { items, next_cursor } = page(m.tasks, body.cursor, Math.min(1000, Number(body.limit) || 500))
      return { next_cursor, task_list: items }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/get_groupmsg_send_result',
    handler: ({ corp, body }) => {
      const m = massSendOrFail(corp, body.msgid)
      const userid = requireStr(body.userid, Err.missingUserId, 'userid')
      const mine = m.results.filter((r) => r.userid === userid)
      const { items, next_cursor } = page(mine, body.cursor, Math.min(1000, Number(body.limit) || 500))
      return { next_cursor, send_list: items }
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/remind_groupmsg_send',
    handler: ({ corp, body }) => {
      const m = massSendOrFail(corp, body.msgid)
      if (m.canceled) fail(Err.invalidMsgId, 'mass send canceled')
      // WeCom allows 3 reminders per 24 h for one mass send.
      if (m.reminders >= 3) fail(Err.rateLimited, 'remind limit reached')
      m.reminders++
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/cancel_groupmsg_send',
    handler: ({ corp, body }) => {
      massSendOrFail(corp, body.msgid).canceled = true
    },
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/add_moment_task',
    handler: ({ corp, body }) => {
      const now = corp.nowMs()
      corp.data.momentCreates = corp.data.momentCreates.filter((t) => now - t < 60_000)
      if (corp.data.momentCreates.length >= MOMENTS_PER_MINUTE) fail(Err.rateLimited, 'api freq out of limit')
      const text = checkText(body.text)
      const attachments = checkAttachments(corp, body.attachments)
      if (!text?.content && attachments.length === 0)
        fail(Err.emptyContent, 'text and attachments both empty')
      const senders = strList(body.visible_range?.sender_list?.user_list)
      corp.data.momentCreates.push(now)
      const jobid = corp.ids.chars(24)
      corp.data.moments.set(jobid, {
        jobid,
        moment_id: `mom${corp.ids.chars(29)}`,
        body,
        create_time: corp.now(),
        invalid_sender_list: senders.filter((u) => !corp.data.staff.has(u)),
      })
      return { jobid }
    },
  },
  {
    method: 'GET',
    path: '/cgi-bin/externalcontact/get_moment_task_result',
    handler: ({ corp, query }) => {
      const m = corp.data.moments.get(query.jobid ?? '')
      if (!m) fail(Err.invalidParam, 'invalid jobid')
      return {
        status: 3,
        type: 'add_moment_task',
        result: {
          errcode: 0,
          errmsg: 'ok',
          moment_id: m.moment_id,
          invalid_sender_list: { user_list: m.invalid_sender_list, department_list: [] },
          invalid_external_contact_list: { tag_list: [] },
        },
      }
    },
  },
]
