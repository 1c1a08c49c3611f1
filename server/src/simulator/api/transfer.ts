// Staff changes (在职/离职继承): customer transfers, their results, group transfers, unassigned customers.
import type { SimulatedCorp } from '../corp.ts'
import { Err, fail } from '../errors.ts'
import { page, requireStr, strList, type ApiRoute } from '../http.ts'
import type { TransferRecord } from '../types.ts'

const NINETY_DAYS_MS = 90 * 86_400_000

function startTransfers(corp: SimulatedCorp, body: Record<string, unknown>, kind: TransferRecord['kind']) {
  const handover = requireStr(body.handover_userid, Err.missingUserId, 'handover_userid')
  const takeover = requireStr(body.takeover_userid, Err.missingUserId, 'takeover_userid')
  const ids = strList(body.external_userid)
  if (ids.length === 0) fail(Err.missingExternalUserId, 'external_userid missing')
  if (ids.length > 100) fail(Err.invalidParam, 'external_userid exceeds 100')
  const from = corp.staff(handover)
  corp.staff(takeover)
  if (handover === takeover) fail(Err.sameTakeover, 'handover and takeover are the same')
  if (kind === 'resigned' && !from.resigned) fail(Err.notResigned, 'handover_userid has not resigned')
  const now = corp.nowMs()
  const customer = ids.map((external_userid) => {
    const c = corp.data.customers.get(external_userid)
    const history = corp.data.transfers.filter((t) => t.external_userid === external_userid)
    let errcode = 0
    if (!c) errcode = Err.invalidExternalUserId
    else if (!corp.follow(c, handover)) errcode = Err.notFollower
    else if (history.some((t) => t.status === 2)) errcode = Err.transferring
    else if (history.filter((t) => t.status === 1 && now - t.created_ms < NINETY_DAYS_MS).length >= 2)
      errcode = Err.transferTooOften
    if (errcode === 0)
      corp.data.transfers.push({
        kind,
        handover_userid: handover,
        takeover_userid: takeover,
        external_userid,
        status: 2,
        takeover_time: 0,
        created_ms: now,
      })
    return { external_userid, errcode }
  })
  return { customer }
}

/** Moves the customer to the takeover (what WeCom does after 24 h without refusal). */
export function completeTransfer(corp: SimulatedCorp, t: TransferRecord): void {
  const c = corp.customer(t.external_userid)
  const old = corp.follow(c, t.handover_userid)
  c.follows = c.follows.filter((f) => f.userid !== t.handover_userid)
  corp.addFollow(c, {
    ...(old ?? {}),
    userid: t.takeover_userid,
    createtime: corp.now(),
    add_way: 0,
    oper_userid: t.takeover_userid,
  })
  t.status = 1
  t.takeover_time = corp.now()
}

function transferResult(corp: SimulatedCorp, body: Record<string, unknown>) {
  const handover = requireStr(body.handover_userid, Err.missingUserId, 'handover_userid')
  const takeover = requireStr(body.takeover_userid, Err.missingUserId, 'takeover_userid')
  const list = corp.data.transfers.filter(
    (t) => t.handover_userid === handover && t.takeover_userid === takeover,
  )
  const { items, next_cursor } = page(list, body.cursor, 1000)
  return {
    customer: items.map((t) => ({
      external_userid: t.external_userid,
      status: t.status,
      takeover_time: t.takeover_time,
    })),
    next_cursor,
  }
}

function transferGroups(corp: SimulatedCorp, body: Record<string, unknown>, requireResigned: boolean) {
  const ids = strList(body.chat_id_list)
  if (ids.length === 0 || ids.length > 100) fail(Err.invalidParam, 'chat_id_list must hold 1-100 ids')
  const newOwner = requireStr(body.new_owner, Err.missingUserId, 'new_owner')
  corp.staff(newOwner)
  const failed_chat_list: { chat_id: string; errcode: number; errmsg: string }[] = []
  for (const chat_id of ids) {
    const g = corp.data.groups.get(chat_id)
    const owner = g ? corp.data.staff.get(g.owner) : undefined
    const problem: [number, string] | undefined = !g
      ? [Err.invalidChatId, 'chatid not found']
      : g.dismissed
        ? [Err.groupDismissed, 'chat dismissed']
        : requireResigned && !owner?.resigned
          ? [Err.notResigned, 'owner has not resigned']
          : undefined
    if (problem) {
      failed_chat_list.push({ chat_id, errcode: problem[0], errmsg: problem[1] })
      continue
    }
    if (!g!.member_list.some((m) => m.userid === newOwner)) corp.joinGroup(g!, newOwner, { scene: 1 })
    g!.owner = newOwner
    g!.status = requireResigned ? 3 : 0
  }
  return { failed_chat_list }
}

export const transferRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/transfer_customer',
    handler: ({ corp, body }) => startTransfers(corp, body, 'on_job'),
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/resigned/transfer_customer',
    handler: ({ corp, body }) => startTransfers(corp, body, 'resigned'),
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/transfer_result',
    handler: ({ corp, body }) => transferResult(corp, body),
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/resigned/transfer_result',
    handler: ({ corp, body }) => transferResult(corp, body),
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/groupchat/transfer',
    handler: ({ corp, body }) => transferGroups(corp, body, true),
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/groupchat/onjob_transfer',
    handler: ({ corp, body }) => transferGroups(corp, body, false),
  },
  {
    method: 'POST',
    path: '/cgi-bin/externalcontact/get_unassigned_list',
    handler: ({ corp, body }) => {
      const pending = new Set(
        corp.data.transfers
          .filter((t) => t.status === 2)
          .map((t) => `${t.handover_userid}|${t.external_userid}`),
      )
      const rows = [...corp.data.staff.values()]
        .filter((s) => s.resigned)
        .flatMap((s) =>
          corp
            .customersOf(s.userid)
            .filter((c) => !pending.has(`${s.userid}|${c.external_userid}`))
            .map((c) => ({
              handover_userid: s.userid,
              external_userid: c.external_userid,
              dimission_time: s.dimission_time ?? 0,
            })),
        )
      const { items, next_cursor } = page(rows, body.cursor, Math.min(1000, Number(body.page_size) || 1000))
      return { info: items, is_last: next_cursor === '', next_cursor }
    },
  },
]
