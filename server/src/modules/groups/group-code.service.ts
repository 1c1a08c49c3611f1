// Group codes (群活码): CRUD kept in step with WeCom's join way and group welcome template.
// Create validates everything before the first WeCom call; if WeCom refuses a step, whatever WeCom
// already made is deleted again and our rows are removed, and the admin sees WeCom's errcode.
import { fetchQrImage, type QrImage } from '../../wecom/qr-image.ts'
import type { FastifyBaseLogger } from 'fastify'
import { In, type DataSource } from 'typeorm'
import {
  GROUP_MEMBER_LIMIT,
  type GroupCodeDetail,
  type GroupCodeInput,
  type GroupCodeSummary,
  type GroupWelcome,
} from '@scrm/shared'
import { inTransaction, serialized } from '../../db/transaction.ts'
import { AppError, badRequest, conflict, notFound } from '../../lib/errors.ts'
import type { WeComClient } from '../../wecom/client.ts'
import { WeComApiError } from '../../wecom/errors.ts'
import { shanghaiDay } from '../acquisition/shanghai-time.ts'
import { GroupChatEntity } from '../directory/group-chat.entity.ts'
import { StaffEntity } from '../directory/staff.entity.ts'
import {
  GroupCodeEntity,
  GroupCodeHistoryEntity,
  GroupCodePoolEntity,
  type GroupCode,
  type GroupCodePool,
} from './group-code.entity.ts'
import { checkWelcome, hasWelcome, readWelcome, welcomeTemplateBody } from './group-welcome.ts'
import { GroupMemberEventEntity } from './group-stats.entity.ts'
import { addHistory } from './history.ts'
import { JOIN_WAY_GONE, joinWayBody, stateOf, type JoinWayApi } from './join-way.ts'
import { planLive } from './live-plan.ts'
import { parse, type GroupRotation } from './rotation.ts'
import { StoreEntity } from './store.entity.ts'

export interface NormalizedInput {
  name: string
  chatIds: string[]
  threshold: number
  autoCreate: boolean
  roomBaseName: string
  roomBaseId: number | null
  welcome: GroupWelcome | null
}

export function normalizeInput(input: GroupCodeInput): NormalizedInput {
  const name = input.name.trim()
  const threshold = input.threshold ?? GROUP_MEMBER_LIMIT
  if (!name || [...name].length > 30) throw badRequest('invalid_name', 'name must be 1–30 characters')
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > GROUP_MEMBER_LIMIT)
    throw badRequest('invalid_threshold', `threshold must be an integer from 1 to ${GROUP_MEMBER_LIMIT}`)
  const roomBaseName = (input.roomBaseName ?? '').trim()
  if ([...roomBaseName].length > 40)
    throw badRequest('room_base_name_too_long', 'roomBaseName must be at most 40 characters')
  const chatIds = [...new Set(input.chatIds.map((c) => c.trim()).filter(Boolean))]
  if (!chatIds.length) throw badRequest('empty_pool', 'the pool needs at least one group')
  checkWelcome(input.welcome)
  return {
    name,
    chatIds,
    threshold,
    autoCreate: input.autoCreate,
    roomBaseName: input.autoCreate ? roomBaseName || [...name].slice(0, 40).join('') : roomBaseName,
    roomBaseId: input.roomBaseId ?? (input.autoCreate ? 1 : null),
    welcome: hasWelcome(input.welcome) ? input.welcome : null,
  }
}

export class GroupCodeService {
  constructor(
    private readonly db: DataSource,
    private readonly wecom: WeComClient,
    private readonly api: JoinWayApi,
    private readonly rotation: GroupRotation,
    private readonly agentId: string,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Pool groups must be customer groups of this corp that we mirror and that are not dismissed. */
  private async checkPool(chatIds: string[], alreadyInPool: Set<string> = new Set()) {
    const found = await this.db
      .getRepository(GroupChatEntity)
      .find({ where: { chatId: In(chatIds) }, select: { chatId: true, status: true } })
    const ok = new Set(found.filter((g) => g.status === 'active').map((g) => g.chatId))
    const bad = chatIds.filter((id) => !ok.has(id) && !alreadyInPool.has(id))
    if (bad.length)
      throw new AppError(
        400,
        'unknown_groups',
        `unknown or dismissed customer groups: ${bad.join(', ')} (run a directory sync if they are new)`,
        { chatIds: bad },
      )
  }

  async create(input: GroupCodeInput): Promise<GroupCodeDetail> {
    const body = normalizeInput(input)
    await this.checkPool(body.chatIds)
    const now = new Date()
    const code = await inTransaction(this.db, async (m) => {
      const row = await m.getRepository(GroupCodeEntity).save({
        ...columns(body),
        state: '',
        configId: null,
        qrCode: '',
        liveChatIds: '[]',
        welcomeTemplateId: null,
        status: 'creating' as const,
        rotationHolder: '',
        rotationUntil: new Date(0),
        rotationDirty: false,
        retryAt: null,
        retryAttempts: 0,
        createdAt: now,
        updatedAt: now,
      })
      row.state = stateOf(row.id)
      await m.getRepository(GroupCodeEntity).update({ id: row.id }, { state: row.state })
      await m.getRepository(GroupCodePoolEntity).insert(poolRows(row.id, body.chatIds, new Map(), now))
      return row
    })
    let configId: string | null = null
    let templateId: string | null = null
    try {
      if (body.welcome) templateId = await this.addTemplate(body.welcome)
      const live = planLive(
        await this.mirrorCandidates(body.chatIds),
        [],
        body.threshold,
        body.autoCreate,
      ).live
      configId = await this.api.add(joinWayBody(code, live, body.roomBaseId))
      const way = await this.api.get(configId)
      await serialized(this.db, () =>
        this.db.getRepository(GroupCodeEntity).update(
          { id: code.id },
          {
            configId,
            qrCode: way.qr_code ?? '',
            liveChatIds: JSON.stringify(way.chat_id_list ?? live),
            roomBaseId: body.autoCreate ? (way.room_base_id ?? body.roomBaseId) : body.roomBaseId,
            welcomeTemplateId: templateId,
            status: 'active',
          },
        ),
      )
    } catch (err) {
      await this.undoCreate(code.id, configId, templateId)
      throw err
    }
    await addHistory(
      this.db,
      code.id,
      'created',
      `创建活码，群池 ${body.chatIds.length} 个群，阈值 ${body.threshold}`,
    )
    if (templateId) await addHistory(this.db, code.id, 'welcome_synced', '入群欢迎语已同步到企业微信')
    // The mirror's counts may be stale: one pass against WeCom's live numbers right away.
    await this.rotation.request(code.id, 'edit')
    return this.get(code.id)
  }

  private async undoCreate(codeId: number, configId: string | null, templateId: string | null) {
    if (configId)
      await this.api
        .del(configId)
        .catch((err) => this.log.error({ err, codeId }, 'could not delete a join way'))
    if (templateId)
      await this.delTemplate(templateId).catch((err) =>
        this.log.error({ err, codeId }, 'could not delete a group welcome template'),
      )
    await inTransaction(this.db, async (m) => {
      await m.getRepository(GroupCodePoolEntity).delete({ groupCodeId: codeId })
      await m.getRepository(GroupCodeHistoryEntity).delete({ groupCodeId: codeId })
      await m.getRepository(GroupCodeEntity).delete({ id: codeId })
    })
  }

  async update(id: number, input: GroupCodeInput): Promise<GroupCodeDetail> {
    const code = await this.live(id)
    const body = normalizeInput(input)
    const oldPool = await this.pool(id)
    await this.checkPool(body.chatIds, new Set(oldPool.map((p) => p.chatId)))
    const oldWelcome = readWelcome(code.welcomeText, code.welcomeAttachment)
    await this.rotation.withLease(id, async () => {
      const way = await this.api.get(code.configId!)
      const next = { ...code, ...columns(body) }
      const live = planLive(
        await this.mirrorCandidates(body.chatIds),
        [],
        body.threshold,
        body.autoCreate,
      ).live
      // The join way first: if WeCom refuses it, nothing changed anywhere.
      await this.api.update(code.configId!, joinWayBody(next, live, way.room_base_id ?? body.roomBaseId))
      let templateId = code.welcomeTemplateId
      try {
        templateId = await this.syncTemplate(code.welcomeTemplateId, body.welcome)
      } catch (err) {
        await this.api
          .update(
            code.configId!,
            joinWayBody(code, way.chat_id_list ?? parse(code.liveChatIds), way.room_base_id ?? null),
          )
          .catch((e) =>
            this.log.error({ err: e, codeId: id }, 'could not restore the join way after a failed edit'),
          )
        throw err
      }
      const sources = new Map(oldPool.map((p) => [p.chatId, p.source]))
      await inTransaction(this.db, async (m) => {
        await m.getRepository(GroupCodeEntity).update(
          { id },
          {
            ...columns(body),
            roomBaseId: body.autoCreate ? (way.room_base_id ?? body.roomBaseId) : body.roomBaseId,
            liveChatIds: JSON.stringify(live),
            welcomeTemplateId: templateId,
            retryAt: null,
            retryAttempts: 0,
            updatedAt: new Date(),
          },
        )
        await m.getRepository(GroupCodePoolEntity).delete({ groupCodeId: id })
        await m.getRepository(GroupCodePoolEntity).insert(poolRows(id, body.chatIds, sources, new Date()))
      })
      await addHistory(
        this.db,
        id,
        'rotated',
        `管理员编辑了活码：群池 ${body.chatIds.length} 个群，阈值 ${body.threshold}，当前群 ${live.join('、')}`,
      )
      if (JSON.stringify(oldWelcome) !== JSON.stringify(body.welcome))
        await addHistory(
          this.db,
          id,
          'welcome_synced',
          body.welcome ? '入群欢迎语已更新到企业微信' : '入群欢迎语已从企业微信删除',
        )
    })
    await this.rotation.request(id, 'edit')
    return this.get(id)
  }

  /** Deletes the join way and the welcome template in WeCom first, then our rows. */
  async remove(id: number): Promise<void> {
    const code = await this.live(id)
    const stores = await this.db
      .getRepository(StoreEntity)
      .find({ where: { groupCodeId: id }, select: { name: true } })
    if (stores.length)
      throw conflict(
        'group_code_in_use',
        `used by stores: ${stores.map((s) => s.name).join(', ')}; change them first`,
      )
    await this.rotation.withLease(id, async () => {
      if (code.configId)
        await this.api.del(code.configId).catch((err) => {
          if (!(err instanceof WeComApiError && err.errcode === JOIN_WAY_GONE)) throw err
        })
      if (code.welcomeTemplateId)
        await this.delTemplate(code.welcomeTemplateId).catch((err) =>
          this.log.warn({ err, codeId: id }, 'could not delete the group welcome template'),
        )
      await inTransaction(this.db, async (m) => {
        await m.getRepository(GroupCodePoolEntity).delete({ groupCodeId: id })
        await m.getRepository(GroupCodeHistoryEntity).delete({ groupCodeId: id })
        await m.getRepository(GroupCodeEntity).delete({ id })
      })
    })
  }

  // ── welcome template ──

  private async addTemplate(w: GroupWelcome): Promise<string> {
    const res = await this.wecom.post<{ template_id: string }>('externalcontact/group_welcome_template/add', {
      ...welcomeTemplateBody(w, this.agentId),
      notify: 0,
    })
    return res.template_id
  }

  private delTemplate(templateId: string) {
    return this.wecom.post('externalcontact/group_welcome_template/del', {
      template_id: templateId,
      agentid: Number(this.agentId) || undefined,
    })
  }

  private async syncTemplate(templateId: string | null, w: GroupWelcome | null): Promise<string | null> {
    if (!w) {
      if (templateId) await this.delTemplate(templateId)
      return null
    }
    if (!templateId) return this.addTemplate(w)
    await this.wecom.post('externalcontact/group_welcome_template/edit', {
      template_id: templateId,
      ...welcomeTemplateBody(w, this.agentId),
    })
    return templateId
  }

  // ── read model ──

  async live(id: number): Promise<GroupCode> {
    const code = await this.db.getRepository(GroupCodeEntity).findOneBy({ id, status: 'active' })
    if (!code) throw notFound(`group code ${id}`)
    return code
  }

  pool(id: number): Promise<GroupCodePool[]> {
    return this.db
      .getRepository(GroupCodePoolEntity)
      .find({ where: { groupCodeId: id }, order: { position: 'ASC', id: 'ASC' } })
  }

  private async mirrorCandidates(chatIds: string[]) {
    const groups = await this.db
      .getRepository(GroupChatEntity)
      .find({ where: { chatId: In(chatIds) }, select: { chatId: true, memberCount: true, status: true } })
    const byId = new Map(groups.map((g) => [g.chatId, g]))
    return chatIds.map((chatId) => ({
      chatId,
      members: byId.get(chatId)?.memberCount ?? 0,
      active: byId.get(chatId)?.status === 'active',
    }))
  }

  async list(): Promise<GroupCodeSummary[]> {
    const codes = await this.db
      .getRepository(GroupCodeEntity)
      .find({ where: { status: 'active' }, order: { id: 'DESC' } })
    return (await this.describe(codes)).map((d) => d.summary)
  }

  async get(id: number): Promise<GroupCodeDetail> {
    const code = await this.live(id)
    const [d] = await this.describe([code])
    const history = await this.db
      .getRepository(GroupCodeHistoryEntity)
      .find({ where: { groupCodeId: id }, order: { at: 'DESC', id: 'DESC' }, take: 200 })
    return {
      ...d.summary,
      pool: d.pool,
      history: history.map((h) => ({ at: h.at.toISOString(), kind: h.kind, detail: h.detail })),
      welcome: readWelcome(code.welcomeText, code.welcomeAttachment),
    }
  }

  private async describe(codes: GroupCode[]) {
    if (!codes.length) return []
    const pools = await this.db
      .getRepository(GroupCodePoolEntity)
      .find({ where: { groupCodeId: In(codes.map((c) => c.id)) }, order: { position: 'ASC', id: 'ASC' } })
    const chatIds = [...new Set(pools.map((p) => p.chatId))]
    const [groups, staff, joins] = await Promise.all([
      chatIds.length ? this.db.getRepository(GroupChatEntity).find({ where: { chatId: In(chatIds) } }) : [],
      this.db.getRepository(StaffEntity).find({ select: { userId: true, name: true } }),
      chatIds.length
        ? this.db
            .getRepository(GroupMemberEventEntity)
            .createQueryBuilder('e')
            .select('e.chat_id', 'chatId')
            .addSelect('COUNT(*)', 'n')
            .where('e.kind = :join AND e.day = :day AND e.chat_id IN (:...chatIds)', {
              join: 'join',
              day: shanghaiDay(),
              chatIds,
            })
            .groupBy('e.chat_id')
            .getRawMany<{ chatId: string; n: string | number }>()
        : [],
    ])
    const byChat = new Map(groups.map((g) => [g.chatId, g]))
    const names = new Map(staff.map((s) => [s.userId, s.name]))
    const joinsToday = new Map(joins.map((j) => [j.chatId, Number(j.n)]))
    return codes.map((code) => {
      const live = parse(code.liveChatIds)
      const pool = pools
        .filter((p) => p.groupCodeId === code.id)
        .map((p, i) => {
          const g = byChat.get(p.chatId)
          const memberCount = g?.memberCount ?? 0
          return {
            chatId: p.chatId,
            name: g?.name ?? '',
            ownerUserId: g?.ownerUserId ?? '',
            ownerName: g ? (names.get(g.ownerUserId) ?? g.ownerUserId) : '',
            memberCount,
            position: i,
            live: live.includes(p.chatId),
            full: memberCount >= code.threshold,
            source: p.source,
            status: g?.status ?? 'unknown',
          }
        })
      const activePool = pool.filter((p) => p.status === 'active')
      const summary: GroupCodeSummary = {
        id: code.id,
        name: code.name,
        threshold: code.threshold,
        autoCreate: code.autoCreate,
        roomBaseName: code.roomBaseName,
        roomBaseId: code.roomBaseId,
        configId: code.configId ?? '',
        qrCode: code.qrCode,
        liveChatIds: live,
        poolSize: pool.length,
        fullCount: activePool.filter((p) => p.full).length,
        members: activePool.reduce((n, p) => n + p.memberCount, 0),
        joinsToday: pool.reduce((n, p) => n + (joinsToday.get(p.chatId) ?? 0), 0),
        createdAt: code.createdAt.toISOString(),
      }
      return { summary, pool }
    })
  }

  /** The permanent QR image, fetched by our server (the browser never talks to WeCom). */
  async qrPng(id: number): Promise<QrImage & { name: string }> {
    const code = await this.live(id)
    return { ...(await fetchQrImage(code.qrCode)), name: code.name }
  }

  /** Active codes, for the reconciliation job. */
  async activeIds(): Promise<number[]> {
    const rows = await this.db
      .getRepository(GroupCodeEntity)
      .find({ where: { status: 'active' }, select: { id: true, configId: true } })
    return rows.filter((r) => r.configId).map((r) => r.id)
  }
}

function columns(body: NormalizedInput) {
  return {
    name: body.name,
    threshold: body.threshold,
    autoCreate: body.autoCreate,
    roomBaseName: body.roomBaseName,
    roomBaseId: body.roomBaseId,
    welcomeText: body.welcome ? body.welcome.text : null,
    welcomeAttachment: body.welcome?.attachment ? JSON.stringify(body.welcome.attachment) : null,
  }
}

function poolRows(
  groupCodeId: number,
  chatIds: string[],
  sources: Map<string, GroupCodePool['source']>,
  at: Date,
) {
  return chatIds.map((chatId, position) => ({
    groupCodeId,
    chatId,
    position,
    source: sources.get(chatId) ?? ('admin' as const),
    addedAt: at,
  }))
}
