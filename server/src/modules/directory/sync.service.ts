// Full directory sync (通讯录同步): staff → tags → contacts → groups, cursor-paged, one transaction per
// page, resumable from the cursor saved with each page. Progress lives in the sync_run row.
import type { FastifyBaseLogger } from 'fastify'
import { In, IsNull, LessThan, Not, type DataSource } from 'typeorm'
import { inTransaction } from '../../db/transaction.ts'
import { conflict } from '../../lib/errors.ts'
import type {
  BatchGetByUserResponse,
  CorpTagGroup,
  GroupChatDetail,
  GroupChatListResponse,
  StaffUser,
} from '../../wecom/api-types.ts'
import type { WeComClient } from '../../wecom/client.ts'
import { WeComApiError } from '../../wecom/errors.ts'
import {
  markGroupDismissed,
  replaceTagTaxonomy,
  upsertCustomers,
  upsertFollows,
  upsertGroupChat,
  upsertStaff,
} from './directory.mirror.ts'
import { CustomerFollowEntity } from './follow.entity.ts'
import { GroupChatEntity } from './group-chat.entity.ts'
import { StaffEntity } from './staff.entity.ts'
import { SyncRunEntity, type SyncCounts, type SyncPhase, type SyncRun } from './sync-run.entity.ts'

interface Resume {
  staffOffset: number
  contactCursor: string
  groupCursor: string
}

const PHASES: SyncPhase[] = ['staff', 'tags', 'contacts', 'groups', 'done']
const STALE_AFTER_MS = 2 * 60_000
const RESUME_WITHIN_MS = 24 * 3600_000
const USERS_PER_CALL = 100 // batch/get_by_user takes at most 100 userids
const GROUP_DETAIL_PARALLEL = 4

export class DirectorySync {
  private current: Promise<void> | null = null

  constructor(
    private readonly db: DataSource,
    private readonly wecom: WeComClient,
    private readonly log: FastifyBaseLogger,
    /** Contacts per batch/get_by_user page (WeCom allows up to 100). */
    private readonly pageSize = 100,
  ) {}

  /**
   * Starts a run in the background. A run that failed, or that a crashed process left behind, within
   * the last day is resumed from its saved cursor instead of starting over.
   */
  async start(): Promise<SyncRun> {
    if (this.current) throw conflict('sync_running', 'A directory sync is already running')
    const repo = this.db.getRepository(SyncRunEntity)
    const last = await repo.findOne({ where: {}, order: { id: 'DESC' } })
    if (last?.status === 'running' && Date.now() - last.heartbeatAt.getTime() < STALE_AFTER_MS)
      throw conflict('sync_running', 'A directory sync is already running on another instance')
    const resumable =
      last && last.status !== 'done' && Date.now() - last.startedAt.getTime() < RESUME_WITHIN_MS ? last : null
    const now = new Date()
    if (resumable)
      await repo.update(
        { id: resumable.id },
        { status: 'running', error: null, finishedAt: null, heartbeatAt: now },
      )
    const running = resumable ? { ...resumable, status: 'running' as const } : null
    const run =
      running ??
      (await repo.save({
        status: 'running' as const,
        phase: 'staff' as const,
        counts: JSON.stringify({ staff: 0, tags: 0, contacts: 0, groups: 0 } satisfies SyncCounts),
        resume: JSON.stringify({ staffOffset: 0, contactCursor: '', groupCursor: '' } satisfies Resume),
        error: null,
        startedAt: now,
        finishedAt: null,
        heartbeatAt: now,
      }))
    if (running) this.log.info({ runId: run.id, phase: run.phase }, 'resuming an interrupted directory sync')
    this.current = this.execute(run).finally(() => (this.current = null))
    return run
  }

  /** Waits for the run in progress (CLI and tests). */
  async wait() {
    await this.current
  }

  private async execute(run: SyncRun) {
    const counts: SyncCounts = JSON.parse(run.counts)
    const resume: Resume = JSON.parse(run.resume)
    const save = (patch: Partial<SyncRun> = {}) =>
      this.db.getRepository(SyncRunEntity).update(
        { id: run.id },
        {
          counts: JSON.stringify(counts),
          resume: JSON.stringify(resume),
          heartbeatAt: new Date(),
          ...patch,
        },
      )
    try {
      for (let phase = run.phase; phase !== 'done'; phase = PHASES[PHASES.indexOf(phase) + 1]) {
        await save({ phase })
        this.log.info({ runId: run.id, phase, counts }, 'directory sync phase')
        if (phase === 'staff') await this.syncStaff(counts)
        if (phase === 'tags') counts.tags = await this.syncTags(run.id)
        if (phase === 'contacts') await this.syncContacts(run.id, counts, resume, save)
        if (phase === 'groups') await this.syncGroups(run.id, counts, resume, save)
      }
      await this.sweepUnseen(run.id, run.startedAt)
      await save({ phase: 'done', status: 'done', finishedAt: new Date() })
      this.log.info({ runId: run.id, counts }, 'directory sync done')
    } catch (err) {
      const message =
        err instanceof WeComApiError
          ? `WeCom ${err.path}: ${err.errcode} ${err.errmsg}`
          : String((err as Error).message ?? err)
      this.log.error({ runId: run.id, error: message }, 'directory sync failed')
      await save({ status: 'failed', error: message.slice(0, 2000), finishedAt: new Date() })
    }
  }

  private async syncStaff(counts: SyncCounts) {
    const { follow_user } = await this.wecom.get<{ follow_user: string[] }>(
      'externalcontact/get_follow_user_list',
    )
    const users: StaffUser[] = []
    for (const userid of follow_user) users.push(await this.staffProfile(userid))
    await inTransaction(this.db, async (m) => {
      await upsertStaff(m, users)
      // Staff who lost the customer-contact permission stay in the table for history, flagged.
      await m
        .getRepository(StaffEntity)
        .update(follow_user.length ? { userId: Not(In(follow_user)) } : {}, { isFollowUser: false })
    })
    counts.staff = users.length
  }

  /**
   * Makes sure a member who just signed in is in the mirror even before the next full sync; false when
   * WeCom does not list them as a customer-contact member (配置了客户联系功能的成员).
   */
  async ensureStaff(userId: string): Promise<boolean> {
    if (await this.db.getRepository(StaffEntity).existsBy({ userId, isFollowUser: true })) return true
    const { follow_user } = await this.wecom.get<{ follow_user: string[] }>(
      'externalcontact/get_follow_user_list',
    )
    if (!follow_user.includes(userId)) return false
    const profile = await this.staffProfile(userId)
    await inTransaction(this.db, (m) => upsertStaff(m, [profile]))
    return true
  }

  /** Name and avatar need the contacts API, which an app may lack (60011): fall back to the userid. */
  private async staffProfile(userid: string): Promise<StaffUser> {
    try {
      const u = await this.wecom.get<StaffUser>('user/get', { userid })
      return { userid, name: u.name, avatar: u.avatar }
    } catch (err) {
      if (err instanceof WeComApiError) return { userid, name: userid }
      throw err
    }
  }

  private async syncTags(runId: number) {
    const { tag_group } = await this.wecom.post<{ tag_group: CorpTagGroup[] }>(
      'externalcontact/get_corp_tag_list',
      {},
    )
    return inTransaction(this.db, (m) => replaceTagTaxonomy(m, tag_group, runId))
  }

  private async syncContacts(
    runId: number,
    counts: SyncCounts,
    resume: Resume,
    save: (patch?: Partial<SyncRun>) => Promise<unknown>,
  ) {
    const staff = (
      await this.db
        .getRepository(StaffEntity)
        .find({ where: { isFollowUser: true }, order: { userId: 'ASC' } })
    ).map((s) => s.userId)
    while (resume.staffOffset < staff.length) {
      const userids = staff.slice(resume.staffOffset, resume.staffOffset + USERS_PER_CALL)
      const page = await this.wecom.post<BatchGetByUserResponse>('externalcontact/batch/get_by_user', {
        userid_list: userids,
        cursor: resume.contactCursor,
        limit: this.pageSize,
      })
      const list = page.external_contact_list ?? []
      await inTransaction(this.db, async (m) => {
        await upsertCustomers(
          m,
          list.map((x) => x.external_contact),
        )
        await upsertFollows(
          m,
          list.map((x) => ({ externalUserId: x.external_contact.external_userid, info: x.follow_info })),
          runId,
        )
      })
      counts.contacts += list.length
      if (page.next_cursor) resume.contactCursor = page.next_cursor
      else {
        resume.contactCursor = ''
        resume.staffOffset += USERS_PER_CALL
      }
      await save()
    }
  }

  private async syncGroups(
    runId: number,
    counts: SyncCounts,
    resume: Resume,
    save: (patch?: Partial<SyncRun>) => Promise<unknown>,
  ) {
    for (;;) {
      const page = await this.wecom.post<GroupChatListResponse>('externalcontact/groupchat/list', {
        status_filter: 0,
        cursor: resume.groupCursor || undefined,
        limit: 1000,
      })
      const ids = (page.group_chat_list ?? []).map((g) => g.chat_id)
      const details: GroupChatDetail[] = []
      for (let i = 0; i < ids.length; i += GROUP_DETAIL_PARALLEL) {
        const chunk = await Promise.all(
          ids.slice(i, i + GROUP_DETAIL_PARALLEL).map((chat_id) =>
            this.wecom.post<{ group_chat: GroupChatDetail }>('externalcontact/groupchat/get', {
              chat_id,
              need_name: 1,
            }),
          ),
        )
        details.push(...chunk.map((c) => c.group_chat))
      }
      await inTransaction(this.db, async (m) => {
        for (const g of details) await upsertGroupChat(m, g, runId)
      })
      counts.groups += details.length
      resume.groupCursor = page.next_cursor ?? ''
      await save()
      if (!page.next_cursor) return
    }
  }

  /**
   * What WeCom no longer lists is gone from the mirror too (callbacks may have been missed). Rows a
   * callback touched after the run began are left alone: they are newer than this run's view.
   */
  private async sweepUnseen(runId: number, startedAt: Date) {
    await inTransaction(this.db, async (m) => {
      await m
        .getRepository(CustomerFollowEntity)
        .createQueryBuilder()
        .update()
        .set({ status: 'gone', removedAt: new Date() })
        .where('status = :active', { active: 'active' })
        .andWhere('(sync_run_id IS NULL OR sync_run_id <> :runId)', { runId })
        .andWhere('updated_at < :startedAt', { startedAt })
        .execute()
      const stale = await m.getRepository(GroupChatEntity).find({
        where: [
          { status: 'active', syncRunId: Not(runId), updatedAt: LessThan(startedAt) },
          { status: 'active', syncRunId: IsNull(), updatedAt: LessThan(startedAt) },
        ],
      })
      for (const g of stale) await markGroupDismissed(m, g.chatId)
    })
  }
}
