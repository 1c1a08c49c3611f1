// Sends campaign messages through WeCom's group mass send (add_msg_template, chat_type group): one call
// per group owner and message, listing that owner's targeted groups. Each call has a row with a unique
// key (message + owner + chunk) made before anything is sent, and a row is sent only by whoever claims
// it with a conditional UPDATE, so a rerun, a retry or a second instance never sends twice.
import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { In, LessThanOrEqual, type DataSource } from 'typeorm'
import { WeComApiError } from '../../wecom/errors.ts'
import type { WeComClient } from '../../wecom/client.ts'
import { serialized } from '../../db/transaction.ts'
import { GroupChatEntity } from '../directory/group-chat.entity.ts'
import {
  CampaignDeliveryEntity,
  CampaignEntity,
  CampaignMessageEntity,
  CampaignSendEntity,
  CampaignTargetEntity,
  type CampaignMessageRow,
  type CampaignRow,
  type CampaignSendRow,
} from './campaign.entity.ts'
import { configOf, json, renderText, type CampaignService } from './campaign.service.ts'
import { massSendBody, type StoredPayload } from './payloads.ts'
import { holdsSends, truncateBytes } from './schedule.ts'
import { CAMPAIGN_TEXT_MAX_BYTES } from '@scrm/shared'

/** WeCom takes at most 2,000 chat ids per group mass send. */
export const CHAT_IDS_PER_SEND = 2000
export const MAX_ATTEMPTS = 5
/** How long a claimed send may stay "sending" before another run treats its outcome as unknown. */
export const CLAIM_MS = 2 * 60_000
/** Owners confirm sends in WeCom, sometimes late: results are synced until this long after the end. */
export const SYNC_AFTER_END_MS = 3 * 86_400_000

/** 1, 2, 4, 8 minutes between attempts. */
export const retryDelayMs = (attempts: number) => 60_000 * 2 ** Math.max(0, attempts - 1)

export interface RunReport {
  planned: number
  skipped: number
  sent: number
  failed: number
}

export class CampaignSender {
  constructor(
    private readonly db: DataSource,
    private readonly wecom: WeComClient,
    private readonly campaigns: CampaignService,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** One run of the job: plan the messages now due, then send every claimable row. `now` is injectable. */
  async runDue(now = new Date(), opts: { campaignId?: number } = {}): Promise<RunReport> {
    const report: RunReport = { planned: 0, skipped: 0, sent: 0, failed: 0 }
    await this.plan(now, report, opts.campaignId)
    await this.deliver(now, report, opts.campaignId)
    return report
  }

  // ── planning: due messages → one send row per owner ──

  private async plan(now: Date, report: RunReport, campaignId?: number) {
    const due = await this.db.getRepository(CampaignMessageEntity).find({
      where: { status: 'pending', sendAt: LessThanOrEqual(now), ...(campaignId ? { campaignId } : {}) },
      order: { sendAt: 'ASC' },
      take: 500,
    })
    const byCampaign = new Map<number, CampaignMessageRow[]>()
    for (const m of due) byCampaign.set(m.campaignId, [...(byCampaign.get(m.campaignId) ?? []), m])
    for (const [id, messages] of byCampaign) {
      const row = await this.db.getRepository(CampaignEntity).findOneBy({ id })
      if (!row || row.deletedAt) {
        await this.mark(messages, 'skipped', 'campaign deleted')
        report.skipped += messages.length
        continue
      }
      if (holdsSends(row.stageOverride)) continue
      // Countdowns whose moment passed while a later one is due too (the server was down) are stale.
      const latestDue = messages
        .filter((m) => m.kind === 'countdown')
        .reduce<CampaignMessageRow | null>((a, m) => (!a || m.sendAt > a.sendAt ? m : a), null)
      for (const m of messages) {
        if (now >= row.endsAt) {
          await this.mark([m], 'skipped', 'the campaign had ended')
          report.skipped++
        } else if (m.kind === 'countdown' && latestDue && m !== latestDue) {
          await this.mark([m], 'skipped', `overtaken by ${latestDue.msgKey}`)
          report.skipped++
        } else {
          const n = await this.planOne(row, m, now)
          if (n === 0) {
            await this.mark([m], 'skipped', 'no active groups to send to')
            report.skipped++
          } else {
            await this.mark([m], 'planned', '')
            report.planned += n
          }
        }
      }
    }
  }

  private async mark(messages: CampaignMessageRow[], status: 'planned' | 'skipped', note: string) {
    if (messages.length === 0) return
    await this.db
      .getRepository(CampaignMessageEntity)
      .update(
        { id: In(messages.map((m) => m.id)), status: 'pending' },
        { status, note: note.slice(0, 255), plannedAt: new Date() },
      )
  }

  /** Send rows for one message: targeted active groups grouped by owner. Idempotent (unique key). */
  private async planOne(c: CampaignRow, m: CampaignMessageRow, now: Date): Promise<number> {
    const cfg = configOf(c)
    const msg = this.campaigns.messageConfig(cfg, m.msgKey)
    if (!msg) return 0
    const groups = await this.targetGroups(c.id)
    const byOwner = new Map<string, string[]>()
    for (const g of groups) byOwner.set(g.ownerUserId, [...(byOwner.get(g.ownerUserId) ?? []), g.chatId])
    // The text is filled for the message's nominal moment (a countdown at 3 h says 3小时 even if sent a minute late).
    const payload: StoredPayload = {
      text: truncateBytes(
        renderText(
          c,
          msg.text,
          m.kind === 'launch' ? (m.sendAt > c.startsAt ? m.sendAt : c.startsAt) : m.sendAt,
        ),
        CAMPAIGN_TEXT_MAX_BYTES,
      ),
      attachment: msg.attachment,
    }
    const rows: Partial<CampaignSendRow>[] = []
    for (const [owner, chatIds] of byOwner) {
      chatIds.sort()
      for (let i = 0, chunk = 0; i < chatIds.length; i += CHAT_IDS_PER_SEND, chunk++)
        rows.push({
          campaignId: c.id,
          messageId: m.id,
          msgKey: m.msgKey,
          ownerUserId: owner,
          chunk,
          chatIds: JSON.stringify(chatIds.slice(i, i + CHAT_IDS_PER_SEND)),
          payload: JSON.stringify(payload),
          status: 'pending',
          msgid: null,
          failList: '[]',
          attempts: 0,
          error: '',
          outcomeUnknown: false,
          nextAttemptAt: now,
          claimToken: null,
          claimedUntil: null,
          attemptedAt: null,
          sentAt: null,
          confirmed: false,
          syncedAt: null,
          createdAt: now,
          updatedAt: now,
        })
    }
    for (const r of rows)
      await serialized(this.db, () =>
        this.db
          .createQueryBuilder()
          .insert()
          .into(CampaignSendEntity)
          .values(r)
          .orIgnore()
          .updateEntity(false)
          .execute(),
      )
    return rows.length
  }

  /** Explicit groups plus every active group of the targeted owners. */
  private async targetGroups(campaignId: number): Promise<{ chatId: string; ownerUserId: string }[]> {
    const targets = await this.db.getRepository(CampaignTargetEntity).findBy({ campaignId })
    const chatIds = targets.filter((t) => t.kind === 'chat').map((t) => t.targetId)
    const owners = targets.filter((t) => t.kind === 'owner').map((t) => t.targetId)
    const repo = this.db.getRepository(GroupChatEntity)
    const select = { chatId: true, ownerUserId: true } as const
    const found = [
      ...(chatIds.length
        ? await repo.find({ select, where: { chatId: In(chatIds), status: 'active' } })
        : []),
      ...(owners.length
        ? await repo.find({ select, where: { ownerUserId: In(owners), status: 'active' } })
        : []),
    ]
    return [...new Map(found.map((g) => [g.chatId, g])).values()]
  }

  // ── delivery: claim a row, call WeCom, record the outcome ──

  private async deliver(now: Date, report: RunReport, campaignId?: number) {
    const qb = this.db
      .getRepository(CampaignSendEntity)
      .createQueryBuilder('s')
      .where(
        `((s.status IN ('pending', 'retry') AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= :now))
          OR (s.status = 'sending' AND s.claimed_until < :now))`,
        { now },
      )
    if (campaignId) qb.andWhere('s.campaign_id = :campaignId', { campaignId })
    const rows = await qb.orderBy('s.id', 'ASC').take(200).getMany()
    for (const row of rows) {
      const outcome = await this.sendOne(row, now)
      if (outcome === 'sent') report.sent++
      else if (outcome === 'failed') report.failed++
    }
  }

  /** Claims the row (only one caller wins), then sends it. */
  private async claim(row: CampaignSendRow, now: Date): Promise<string | null> {
    const token = randomUUID()
    const res = await serialized(this.db, () =>
      this.db
        .createQueryBuilder()
        .update(CampaignSendEntity)
        .set({
          status: 'sending',
          claimToken: token,
          claimedUntil: new Date(now.getTime() + CLAIM_MS),
          attempts: () => 'attempts + 1',
          updatedAt: now,
        })
        .where(
          `id = :id AND ((status IN ('pending', 'retry') AND (next_attempt_at IS NULL OR next_attempt_at <= :now))
            OR (status = 'sending' AND claimed_until < :now))`,
          { id: row.id, now },
        )
        .execute(),
    )
    return (res.affected ?? 0) > 0 ? token : null
  }

  private async sendOne(row: CampaignSendRow, now: Date): Promise<'sent' | 'retry' | 'failed' | 'skipped'> {
    // A row left "sending" by a dead run may or may not have reached WeCom.
    const unknown = row.outcomeUnknown || row.status === 'sending'
    const token = await this.claim(row, now)
    if (!token) return 'skipped'
    const attempts = row.attempts + 1
    const repo = this.db.getRepository(CampaignSendEntity)
    const finish = (values: Partial<CampaignSendRow>) =>
      repo.update(
        { id: row.id, claimToken: token },
        { ...values, claimToken: null, claimedUntil: null, updatedAt: now },
      )
    const payload = json<StoredPayload>(row.payload, { text: '', attachment: null })
    const chatIds = json<string[]>(row.chatIds, [])
    try {
      if (unknown) {
        const msgid = await this.findEarlierSend(row, payload, now)
        if (msgid) {
          await finish({
            status: 'sent',
            msgid,
            sentAt: row.attemptedAt ?? now,
            error: '',
            outcomeUnknown: false,
          })
          return 'sent'
        }
      }
      await repo.update({ id: row.id, claimToken: token }, { attemptedAt: now })
      const body = await massSendBody(this.wecom, payload, row.ownerUserId, chatIds)
      const res = await this.wecom.post<{ msgid: string; fail_list?: string[] }>(
        'externalcontact/add_msg_template',
        body,
      )
      await finish({
        status: 'sent',
        msgid: res.msgid,
        failList: JSON.stringify(res.fail_list ?? []),
        sentAt: now,
        error: '',
        outcomeUnknown: false,
        nextAttemptAt: null,
      })
      return 'sent'
    } catch (err) {
      // An errcode means WeCom refused: nothing went out. Anything else (network, timeout) may have.
      const refused = err instanceof WeComApiError
      const error = refused
        ? `${err.errcode} ${err.errmsg}`
        : String((err as Error)?.message ?? err).slice(0, 1000)
      const c = await this.db.getRepository(CampaignEntity).findOneBy({ id: row.campaignId })
      const next = new Date(now.getTime() + retryDelayMs(attempts))
      const giveUp = attempts >= MAX_ATTEMPTS || !c || c.deletedAt !== null || next >= c.endsAt
      this.log.warn(
        { err, campaignId: row.campaignId, sendId: row.id, attempts, giveUp },
        'campaign send failed',
      )
      await finish({
        status: giveUp ? 'failed' : 'retry',
        error,
        outcomeUnknown: !refused,
        nextAttemptAt: giveUp ? null : next,
      })
      return giveUp ? 'failed' : 'retry'
    }
  }

  /**
   * After an attempt whose outcome is unknown, looks for the mass send WeCom may have created then
   * (same creator, same text, since that attempt), so it is recorded rather than sent again.
   */
  private async findEarlierSend(
    row: CampaignSendRow,
    payload: StoredPayload,
    now: Date,
  ): Promise<string | null> {
    // WeCom stamps create_time with its own clock: look from a little before the attempt to now.
    const attempted = (row.attemptedAt ?? row.createdAt).getTime()
    const since = Math.floor((Math.min(attempted, now.getTime(), Date.now()) - 300_000) / 1000)
    const until = Math.min(since + 30 * 86400, Math.floor(Math.max(now.getTime(), Date.now()) / 1000) + 300)
    let cursor = ''
    for (let page = 0; page < 20; page++) {
      const res = await this.wecom.post<{
        next_cursor?: string
        group_msg_list?: { msgid: string; creator: string; text?: { content?: string } }[]
      }>('externalcontact/get_groupmsg_list_v2', {
        chat_type: 'group',
        start_time: since,
        end_time: until,
        creator: row.ownerUserId,
        filter_type: 0,
        limit: 100,
        ...(cursor ? { cursor } : {}),
      })
      const hit = (res.group_msg_list ?? []).find(
        (m) => m.creator === row.ownerUserId && (m.text?.content ?? '') === payload.text,
      )
      if (hit) return hit.msgid
      if (!res.next_cursor) return null
      cursor = res.next_cursor
    }
    return null
  }

  // ── results: did the owners confirm, which groups got it ──

  /** Syncs get_groupmsg_task / get_groupmsg_send_result for sends still worth asking about. */
  async syncResults(now = new Date(), opts: { campaignId?: number } = {}): Promise<number> {
    const qb = this.db
      .getRepository(CampaignSendEntity)
      .createQueryBuilder('s')
      .where("s.status = 'sent' AND s.msgid IS NOT NULL")
      .andWhere('s.campaign_id IN (SELECT c.id FROM campaign c WHERE c.ends_at > :horizon)', {
        horizon: new Date(now.getTime() - SYNC_AFTER_END_MS),
      })
    if (opts.campaignId) qb.andWhere('s.campaign_id = :id', { id: opts.campaignId })
    const rows = await qb.orderBy('s.syncedAt', 'ASC').addOrderBy('s.id', 'ASC').take(200).getMany()
    let n = 0
    for (const row of rows) {
      try {
        await this.syncOne(row, now)
        n++
      } catch (err) {
        this.log.warn({ err, sendId: row.id }, 'campaign results sync failed')
      }
    }
    return n
  }

  private async syncOne(row: CampaignSendRow, now: Date) {
    let confirmed = false
    let cursor = ''
    for (let page = 0; page < 50; page++) {
      const res = await this.wecom.post<{
        next_cursor?: string
        task_list?: { userid: string; status: number }[]
      }>('externalcontact/get_groupmsg_task', {
        msgid: row.msgid,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      })
      if ((res.task_list ?? []).some((t) => t.userid === row.ownerUserId && Number(t.status) === 2))
        confirmed = true
      if (!res.next_cursor) break
      cursor = res.next_cursor
    }
    const results: { chat_id?: string; status: number; send_time?: number }[] = []
    cursor = ''
    for (let page = 0; page < 50; page++) {
      const res = await this.wecom.post<{
        next_cursor?: string
        send_list?: { chat_id?: string; status: number; send_time?: number }[]
      }>('externalcontact/get_groupmsg_send_result', {
        msgid: row.msgid,
        userid: row.ownerUserId,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      })
      results.push(...(res.send_list ?? []))
      if (!res.next_cursor) break
      cursor = res.next_cursor
    }
    const repo = this.db.getRepository(CampaignDeliveryEntity)
    for (const r of results) {
      if (!r.chat_id) continue
      const values = {
        campaignId: row.campaignId,
        status: Number(r.status),
        sendTime: r.send_time ? new Date(Number(r.send_time) * 1000) : null,
        updatedAt: now,
      }
      const upd = await repo.update({ sendId: row.id, chatId: r.chat_id }, values)
      if (!upd.affected)
        await serialized(this.db, () =>
          this.db
            .createQueryBuilder()
            .insert()
            .into(CampaignDeliveryEntity)
            .values({ sendId: row.id, chatId: r.chat_id!, ...values })
            .orIgnore()
            .updateEntity(false)
            .execute(),
        )
    }
    await this.db.getRepository(CampaignSendEntity).update({ id: row.id }, { confirmed, syncedAt: now })
  }
}
