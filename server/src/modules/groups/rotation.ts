// Rotation (自动换群): keeps a group code's join way listing ≤5 open groups of its pool.
//
// Serialized per code across instances by a lease on the group_code row (a conditional UPDATE, atomic
// on MySQL and SQLite), so two instances never write conflicting join ways. A request that finds the
// lease held only sets rotation_dirty; the holder re-runs after releasing while the flag is set, so no
// request is lost and a burst of add_member events collapses into a few passes.
//
// Each pass reads WeCom's join way first (it is the truth: WeCom adds auto-created groups and counts
// room_base_id up on its own), adopts unknown groups into the pool, reads the live groups' member
// counts fresh, plans the list and writes it only when it differs. A failed write leaves WeCom's
// previous (non-empty) list in place and is retried with backoff by the retry job.
import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { In, LessThan, Not, IsNull, type DataSource } from 'typeorm'
import { serialized } from '../../db/transaction.ts'
import { WeComApiError } from '../../wecom/errors.ts'
import { describe } from '../acquisition/wecom-outcome.ts'
import { GroupChatEntity } from '../directory/group-chat.entity.ts'
import { GroupCodeEntity, GroupCodePoolEntity, type GroupCode } from './group-code.entity.ts'
import { addHistory } from './history.ts'
import { CHAT_GONE, JOIN_WAY_GONE, joinWayBody, type JoinWayApi } from './join-way.ts'
import { planLive, sameList, type PoolCandidate } from './live-plan.ts'
import { joinsFromMemberList, recordMemberChanges, snapshotMembers } from './member-tracking.ts'

export type RotationReason = 'event' | 'reconcile' | 'retry' | 'edit'

const LEASE_MS = 60_000
const MAX_PASSES = 20

/** 10 s, 20 s, 40 s … capped at 30 min. */
export const retryDelayMs = (attempts: number) =>
  Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000)

export class GroupRotation {
  constructor(
    private readonly db: DataSource,
    private readonly api: JoinWayApi,
    private readonly log: FastifyBaseLogger,
  ) {}

  private repo() {
    return this.db.getRepository(GroupCodeEntity)
  }

  private async acquire(codeId: number, token: string): Promise<boolean> {
    const now = new Date()
    const res = await serialized(this.db, () =>
      this.repo()
        .createQueryBuilder()
        .update()
        .set({ rotationHolder: token, rotationUntil: new Date(now.getTime() + LEASE_MS) })
        .where('id = :id AND rotation_until < :now', { id: codeId, now })
        .execute(),
    )
    return (res.affected ?? 0) > 0
  }

  private async release(codeId: number, token: string): Promise<void> {
    await serialized(this.db, () =>
      this.repo()
        .createQueryBuilder()
        .update()
        .set({ rotationHolder: '', rotationUntil: new Date(0) })
        .where('id = :id AND rotation_holder = :token', { id: codeId, token })
        .execute(),
    )
  }

  private setDirty(codeId: number, dirty: boolean) {
    return serialized(this.db, () => this.repo().update({ id: codeId }, { rotationDirty: dirty }))
  }

  /** Runs `fn` holding the code's lease, waiting up to `waitMs` for it (admin edits). */
  async withLease<T>(codeId: number, fn: () => Promise<T>, waitMs = 20_000): Promise<T> {
    const token = randomUUID()
    const end = Date.now() + waitMs
    while (!(await this.acquire(codeId, token))) {
      if (Date.now() > end) throw new Error(`group code ${codeId} is busy rotating`)
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100))
    }
    try {
      return await fn()
    } finally {
      await this.release(codeId, token)
    }
  }

  /**
   * Asks for a rotation pass. Returns once this instance has run the pass, or handed it to the
   * instance holding the lease (which sees the dirty flag).
   */
  async request(codeId: number, reason: RotationReason): Promise<void> {
    await this.setDirty(codeId, true)
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const token = randomUUID()
      if (!(await this.acquire(codeId, token))) return
      try {
        await this.setDirty(codeId, false)
        await this.rotateHeld(codeId, reason)
      } finally {
        await this.release(codeId, token)
      }
      const code = await this.repo().findOne({
        where: { id: codeId },
        select: { id: true, rotationDirty: true },
      })
      if (!code?.rotationDirty) return
    }
  }

  /** One pass; the caller holds the lease. WeCom failures are recorded and scheduled, not thrown. */
  async rotateHeld(codeId: number, reason: RotationReason, depth = 0): Promise<void> {
    const code = await this.repo().findOneBy({ id: codeId })
    if (!code || code.status !== 'active' || !code.configId) return
    let way
    try {
      way = await this.api.get(code.configId)
    } catch (err) {
      if (err instanceof WeComApiError && err.errcode === JOIN_WAY_GONE) {
        await addHistory(this.db, code.id, 'update_failed', `企业微信中找不到该加群方式（${describe(err)}）`)
        return
      }
      return this.failed(code, err, 'get_join_way')
    }
    const wecomLive = way.chat_id_list ?? []
    const roomBaseId = way.room_base_id ?? code.roomBaseId
    const adopted = await this.adopt(code, wecomLive)

    const pool = await this.db
      .getRepository(GroupCodePoolEntity)
      .find({ where: { groupCodeId: code.id }, order: { position: 'ASC', id: 'ASC' } })
    const mirror = new Map(
      (
        await this.db.getRepository(GroupChatEntity).find({
          where: { chatId: In(pool.map((p) => p.chatId)) },
          select: { chatId: true, memberCount: true, status: true, name: true },
        })
      ).map((g) => [g.chatId, g]),
    )
    // Live groups fill while we decide: read them fresh (≤5 calls), and any group about to go live.
    const fresh = new Map<string, { members: number; active: boolean }>()
    const readFresh = async (chatId: string) => {
      if (fresh.has(chatId)) return
      try {
        const g = await this.api.group(chatId)
        fresh.set(chatId, { members: g.member_list?.length ?? 0, active: true })
        // Joins whose callback never came (keyed like the callback's, so nothing counts twice).
        if (reason === 'reconcile')
          await recordMemberChanges(this.db, joinsFromMemberList(chatId, g.member_list ?? []))
      } catch (err) {
        if (err instanceof WeComApiError && CHAT_GONE.has(err.errcode))
          fresh.set(chatId, { members: 0, active: false })
        else throw err
      }
    }
    try {
      for (const id of wecomLive) await readFresh(id)
    } catch (err) {
      return this.failed(code, err, 'groupchat/get')
    }
    const candidates = (): PoolCandidate[] =>
      pool.map((p) => {
        const f = fresh.get(p.chatId)
        const m = mirror.get(p.chatId)
        return {
          chatId: p.chatId,
          members: f?.members ?? m?.memberCount ?? 0,
          active: f ? f.active : m ? m.status === 'active' : false,
        }
      })
    let plan = planLive(candidates(), wecomLive, code.threshold, code.autoCreate)
    // A group about to enter the list is checked against WeCom too (an invite may have filled it).
    for (let i = 0; i < 10; i++) {
      const unseen = plan.live.filter((id) => !fresh.has(id))
      if (!unseen.length) break
      try {
        for (const id of unseen) await readFresh(id)
      } catch (err) {
        return this.failed(code, err, 'groupchat/get')
      }
      plan = planLive(candidates(), wecomLive, code.threshold, code.autoCreate)
    }
    await snapshotMembers(
      this.db,
      new Map([...fresh].filter(([, v]) => v.active).map(([k, v]) => [k, v.members])),
    )

    const label = (id: string) => {
      const c = candidates().find((x) => x.chatId === id)
      return `${mirror.get(id)?.name || id}（${c?.members ?? '?'}/${code.threshold}）`
    }
    if (sameList(plan.live, wecomLive)) {
      await this.saved(code, wecomLive, roomBaseId, way.qr_code)
      if (reason === 'reconcile' && (adopted || !sameList(parse(code.liveChatIds), wecomLive)))
        await addHistory(
          this.db,
          code.id,
          'reconciled',
          `与企业微信核对：当前活码群 ${wecomLive.map(label).join('、')}`,
        )
      return
    }
    try {
      // WeCom changes the list on its own (auto-created groups): if it did while we planned, plan again
      // rather than overwrite its newer list with one built on the older.
      const again = await this.api.get(code.configId)
      if (!sameList(again.chat_id_list ?? [], wecomLive) && depth < 3)
        return this.rotateHeld(codeId, reason, depth + 1)
      await this.api.update(code.configId, joinWayBody(code, plan.live, again.room_base_id ?? roomBaseId))
    } catch (err) {
      return this.failed(code, err, 'update_join_way', wecomLive)
    }
    await this.saved(code, plan.live, roomBaseId, way.qr_code)
    const out = wecomLive.filter((id) => !plan.live.includes(id))
    const inn = plan.live.filter((id) => !wecomLive.includes(id))
    const why = { event: '', reconcile: '（定时核对）', retry: '（重试）', edit: '（编辑）' }[reason]
    const detail = plan.exhausted
      ? `池中的群都已达到阈值 ${code.threshold}：保留最空的群 ${plan.live.map(label).join('、')}${code.autoCreate ? '，满 200 后由企业微信自动建群' : '，请添加新群'}`
      : `${out.length ? `移出 ${out.map(label).join('、')}` : ''}${out.length && inn.length ? '；' : ''}${inn.length ? `加入 ${inn.map(label).join('、')}` : ''}`
    await addHistory(
      this.db,
      code.id,
      'rotated',
      `${detail || `调整顺序 ${plan.live.map(label).join('、')}`}${why}`,
    )
    this.log.info({ codeId: code.id, live: plan.live, out, in: inn }, 'group code rotated')
  }

  /**
   * A new group named like the code's auto-created groups (room_base_name + number) and owned by the
   * owner of its groups: WeCom made it for this code even if the join way no longer lists it (it moved
   * on, or a concurrent update replaced the list). Adopting it keeps every auto-created group counted.
   */
  async adoptByName(codeId: number, chatId: string, name: string, owner: string): Promise<boolean> {
    const code = await this.repo().findOneBy({ id: codeId })
    if (!code?.autoCreate || !code.roomBaseName) return false
    if (!name.startsWith(code.roomBaseName) || !/^\d+$/.test(name.slice(code.roomBaseName.length)))
      return false
    const pool = await this.db
      .getRepository(GroupCodePoolEntity)
      .find({ where: { groupCodeId: codeId }, select: { chatId: true } })
    const owners = await this.db.getRepository(GroupChatEntity).find({
      where: { chatId: In(pool.map((p) => p.chatId)) },
      select: { ownerUserId: true },
    })
    if (!owners.some((o) => o.ownerUserId === owner)) return false
    return this.adopt(code, [chatId])
  }

  /** Groups WeCom listed that are not in our pool were auto-created by WeCom: they join the pool. */
  private async adopt(code: GroupCode, wecomLive: string[]): Promise<boolean> {
    const repo = this.db.getRepository(GroupCodePoolEntity)
    const pool = await repo.find({
      where: { groupCodeId: code.id },
      select: { chatId: true, position: true },
    })
    const known = new Set(pool.map((p) => p.chatId))
    const unknown = wecomLive.filter((id) => !known.has(id))
    if (!unknown.length) return false
    let position = pool.reduce((n, p) => Math.max(n, p.position), -1)
    for (const chatId of unknown) {
      await serialized(this.db, () =>
        this.db
          .createQueryBuilder()
          .insert()
          .into(GroupCodePoolEntity)
          .values({
            groupCodeId: code.id,
            chatId,
            position: ++position,
            source: 'auto_created',
            addedAt: new Date(),
          })
          .orIgnore()
          .execute(),
      )
      const g = await this.db
        .getRepository(GroupChatEntity)
        .findOne({ where: { chatId }, select: { name: true } })
      await addHistory(
        this.db,
        code.id,
        'auto_created',
        `企业微信自动创建了新群 ${g?.name || chatId}，已加入群池`,
      )
    }
    return true
  }

  private async saved(code: GroupCode, live: string[], roomBaseId: number | null, qrCode?: string) {
    await serialized(this.db, () =>
      this.repo().update(
        { id: code.id },
        {
          liveChatIds: JSON.stringify(live),
          roomBaseId: code.autoCreate ? roomBaseId : code.roomBaseId,
          ...(qrCode ? { qrCode } : {}),
          retryAt: null,
          retryAttempts: 0,
          updatedAt: new Date(),
        },
      ),
    )
  }

  private async failed(code: GroupCode, err: unknown, what: string, wecomLive?: string[]) {
    const attempts = code.retryAttempts + 1
    const delay = retryDelayMs(attempts)
    this.log.warn({ err, codeId: code.id, attempts }, `group code rotation failed at ${what}; retrying later`)
    await serialized(this.db, () =>
      this.repo().update(
        { id: code.id },
        {
          retryAttempts: attempts,
          retryAt: new Date(Date.now() + delay),
          ...(wecomLive ? { liveChatIds: JSON.stringify(wecomLive) } : {}),
        },
      ),
    )
    await addHistory(
      this.db,
      code.id,
      'update_failed',
      `${what} 失败：${describe(err)}；企业微信保持原来的群，${Math.round(delay / 1000)} 秒后重试（第 ${attempts} 次）`,
    )
  }

  /** Codes whose failed rotation is due for another try. */
  async due(now = new Date()): Promise<number[]> {
    const rows = await this.repo().find({
      where: { retryAt: LessThan(now), status: 'active', configId: Not(IsNull()) },
      select: { id: true },
    })
    return rows.map((r) => r.id)
  }
}

export const parse = (json: string): string[] => {
  try {
    const v = JSON.parse(json) as unknown
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}
