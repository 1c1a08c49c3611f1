// VIP-group invitations as follow-up tasks. The segments module writes `segment_invite` (a customer
// reached a tier that has a group code; one row per customer and code, assigned to an advisor); here
// every pending invitation becomes one task of kind 'invite' for that advisor (dedupe key
// `invite:<invite id>`, so reruns add nothing), marking the task done marks the invitation done, and an
// invitation whose customer already sits in one of the code's groups is done by itself (its open task
// is closed with close_reason 'joined').
import { In, type DataSource } from 'typeorm'
import { FollowupTaskEntity, type FollowupTaskRow } from './reminder.entity.ts'
import { insertTasks, writeCount, type NewTask } from './task-store.ts'
import { hasTable, isSqlite, readTime, sqlTime } from './sql.ts'

export const INVITE_KEY_PREFIX = 'invite:'
const inviteKey = (inviteId: number | string) => `${INVITE_KEY_PREFIX}${inviteId}`
/** The invitation a task of kind 'invite' stands for. */
export const inviteIdOf = (task: Pick<FollowupTaskRow, 'kind' | 'dedupeKey'>): number | null =>
  task.kind === 'invite' && task.dedupeKey.startsWith(INVITE_KEY_PREFIX)
    ? Number(task.dedupeKey.slice(INVITE_KEY_PREFIX.length)) || null
    : null

export interface InviteScope {
  userId?: string
  externalUserId?: string
}

function scoped(scope: InviteScope): { where: string; params: unknown[] } {
  const where: string[] = []
  const params: unknown[] = []
  if (scope.userId) {
    where.push('AND i.user_id = ?')
    params.push(scope.userId)
  }
  if (scope.externalUserId) {
    where.push('AND i.external_user_id = ?')
    params.push(scope.externalUserId)
  }
  return { where: where.join(' '), params }
}

export class InviteTasks {
  private tables: boolean | null = null

  constructor(private readonly db: DataSource) {}

  /** segment_invite and group_code come from modules built in parallel: without them there is nothing to do. */
  private async ready(): Promise<boolean> {
    if (this.tables === null)
      this.tables = (await hasTable(this.db, 'segment_invite')) && (await hasTable(this.db, 'group_code'))
    return this.tables
  }

  /**
   * Pending invitations (of one advisor / one customer, or all) → tasks. Cheap enough to run before the
   * sidebar lists an advisor's tasks, so a new VIP shows up without waiting for the morning scan.
   */
  async sync(now: Date, scope: InviteScope = {}): Promise<number> {
    if (!(await this.ready())) return 0
    await this.markJoined(now, scope)
    const key = isSqlite(this.db) ? `'${INVITE_KEY_PREFIX}' || i.id` : `CONCAT('${INVITE_KEY_PREFIX}', i.id)`
    const { where, params } = scoped(scope)
    const rows: {
      id: number | string
      ext: string
      userId: string
      createdAt: unknown
      codeName: string
      qr: string | null
      tierName: string | null
    }[] = await this.db.query(
      `SELECT i.id AS id, i.external_user_id AS ext, i.user_id AS userId, i.created_at AS createdAt,
              g.name AS codeName, g.qr_code AS qr, t.name AS tierName
         FROM segment_invite i
         JOIN group_code g ON g.id = i.group_code_id
         LEFT JOIN member_tier t ON t.id = i.tier_id
        WHERE i.status = 'pending' ${where}
          AND NOT EXISTS (SELECT 1 FROM followup_task f WHERE f.dedupe_key = ${key})
        ORDER BY i.id LIMIT 5000`,
      params,
    )
    const tasks: NewTask[] = rows
      .filter((r) => r.userId)
      .map((r) => {
        const tier = r.tierName ? `「${r.tierName}」` : 'VIP'
        const qr = r.qr ? `：${r.qr}` : '，我拉您进群～'
        return {
          kind: 'invite',
          externalUserId: r.ext,
          userId: r.userId,
          dedupeKey: inviteKey(r.id),
          title: `邀请进入 VIP 群：${r.codeName}`,
          detail: `已达到${tier}会员等级，邀请加入会员专属群「${r.codeName}」`,
          // What the advisor can paste into the chat (the invitation has no library script).
          message: `恭喜您成为我们的${tier}会员！我们为会员准备了专属福利群「${r.codeName}」，群里有会员专享优惠和新品试用，扫码即可加入${qr}`,
          dueAt: readTime(r.createdAt),
        }
      })
    return tasks.length ? insertTasks(this.db, tasks, now) : 0
  }

  /**
   * Invitations whose customer is already a member of one of the code's groups are done, and their open
   * tasks closed: nobody needs to invite a customer who joined by the QR on their own.
   */
  private async markJoined(now: Date, scope: InviteScope): Promise<void> {
    if (!(await hasTable(this.db, 'group_code_pool'))) return
    const { where, params } = scoped(scope)
    const joined: { id: number | string }[] = await this.db.query(
      `SELECT i.id AS id FROM segment_invite i
        WHERE i.status = 'pending' ${where}
          AND EXISTS (SELECT 1 FROM group_code_pool p JOIN group_member m ON m.chat_id = p.chat_id
                       WHERE p.group_code_id = i.group_code_id AND m.member_id = i.external_user_id)
        LIMIT 5000`,
      params,
    )
    if (joined.length === 0) return
    const ids = joined.map((j) => Number(j.id))
    const marks = ids.map(() => '?').join(', ')
    await writeCount(
      this.db,
      `UPDATE segment_invite SET status = 'done', done_at = ? WHERE status = 'pending' AND id IN (${marks})`,
      [sqlTime(this.db, now), ...ids],
    )
    await this.db
      .getRepository(FollowupTaskEntity)
      .update(
        { kind: 'invite', status: 'open', dedupeKey: In(ids.map(inviteKey)) },
        { status: 'closed', closeReason: 'joined', handledAt: now },
      )
  }

  /** The advisor marked the invitation task done: the invitation is done too. */
  async taskDone(task: Pick<FollowupTaskRow, 'kind' | 'dedupeKey'>, at: Date): Promise<void> {
    const id = inviteIdOf(task)
    if (id === null || !(await this.ready())) return
    await writeCount(
      this.db,
      "UPDATE segment_invite SET status = 'done', done_at = ? WHERE id = ? AND status = 'pending'",
      [sqlTime(this.db, at), id],
    )
  }
}
