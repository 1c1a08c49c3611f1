// Incremental mirror updates from callbacks. WeCom's callback says *that* something changed; we read
// the current state back (get / groupchat/get / get_corp_tag_list), so a replay is harmless.
import type { DataSource } from 'typeorm'
import { inTransaction } from '../../db/transaction.ts'
import { fromUnix } from '../../lib/time.ts'
import type { CorpTagGroup, GroupChatDetail } from '../../wecom/api-types.ts'
import { CONTACT_GONE, type ContactReader } from './contact-reader.ts'
import type { WeComClient } from '../../wecom/client.ts'
import { WeComApiError } from '../../wecom/errors.ts'
import { EVENTS, type CallbackEvent } from '../../wecom/events.ts'
import type { EventHandlerRegistry } from '../inbox/handler-registry.ts'
import { PermanentEventError } from '../inbox/handler-registry.ts'
import {
  markFollowRemoved,
  markGroupDismissed,
  replaceTagTaxonomy,
  upsertCustomers,
  upsertFollows,
  upsertGroupChat,
} from './directory.mirror.ts'

export function registerDirectorySteps(
  events: EventHandlerRegistry,
  db: DataSource,
  wecom: WeComClient,
  contacts: ContactReader,
) {
  const refreshContact = async (ev: CallbackEvent) => {
    const external_userid = required(ev, 'ExternalUserID')
    const res = await contacts.read(ev)
    if (!res) return
    const follows = res.follow_user.map((f) => ({
      externalUserId: external_userid,
      info: { ...f, tag_id: (f.tags ?? []).filter((t) => t.type === 1 && t.tag_id).map((t) => t.tag_id!) },
    }))
    await inTransaction(db, async (m) => {
      await upsertCustomers(m, [res.external_contact])
      await upsertFollows(m, follows, null)
    })
  }
  const mirrorContact = { name: 'directory.contact', run: refreshContact }
  for (const change of [
    'add_external_contact',
    'add_half_external_contact',
    'edit_external_contact',
    'transfer_fail',
  ])
    events.on(EVENTS.contact, change, mirrorContact)

  events.on(EVENTS.contact, 'del_external_contact', {
    name: 'directory.removed_by_staff',
    run: (ev) =>
      markFollowRemoved(
        db,
        required(ev, 'ExternalUserID'),
        required(ev, 'UserID'),
        ev.Source === 'DELETE_BY_TRANSFER' ? 'transferred' : 'removed_by_staff',
        fromUnix(ev.CreateTime),
      ),
  })
  events.on(EVENTS.contact, 'del_follow_user', {
    name: 'directory.removed_by_customer',
    run: (ev) =>
      markFollowRemoved(
        db,
        required(ev, 'ExternalUserID'),
        required(ev, 'UserID'),
        'removed_by_customer',
        fromUnix(ev.CreateTime),
      ),
  })

  const refreshGroup = async (ev: CallbackEvent) => {
    const chat_id = required(ev, 'ChatId')
    try {
      const { group_chat } = await wecom.post<{ group_chat: GroupChatDetail }>(
        'externalcontact/groupchat/get',
        { chat_id, need_name: 1 },
      )
      await inTransaction(db, (m) => upsertGroupChat(m, group_chat, null))
    } catch (err) {
      if (err instanceof WeComApiError && CONTACT_GONE.has(err.errcode))
        return inTransaction(db, (m) => markGroupDismissed(m, chat_id))
      throw err
    }
  }
  events.on(EVENTS.chat, 'create', { name: 'directory.group', run: refreshGroup })
  events.on(EVENTS.chat, 'update', { name: 'directory.group', run: refreshGroup })
  events.on(EVENTS.chat, 'dismiss', {
    name: 'directory.group_dismissed',
    run: (ev) => inTransaction(db, (m) => markGroupDismissed(m, required(ev, 'ChatId'))),
  })

  const refreshTags = async () => {
    const { tag_group } = await wecom.post<{ tag_group: CorpTagGroup[] }>(
      'externalcontact/get_corp_tag_list',
      {},
    )
    await inTransaction(db, (m) => replaceTagTaxonomy(m, tag_group, null))
  }
  for (const change of ['create', 'update', 'delete', 'shuffle'])
    events.on(EVENTS.tag, change, { name: 'directory.tags', run: refreshTags })
}

function required(ev: CallbackEvent, field: string): string {
  const v = ev[field]
  if (typeof v !== 'string' || !v)
    throw new PermanentEventError(`${ev.Event}/${ev.ChangeType} without ${field}`)
  return v
}
