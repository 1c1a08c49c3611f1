// The reminders module's entry point: the daily scan (predictions → automatic reminders → SOP tasks →
// VIP-group invitation tasks → app messages), the digest, order-change handling, and per-customer cycle
// and date edits.
import type { DataSource } from 'typeorm'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { CustomerDates, CustomerTasksView, ScanResult } from '@scrm/shared'
import { badRequest } from '../../lib/errors.ts'
import { PredictionService } from './prediction.service.ts'
import { ReminderTriggers } from './reminder-triggers.ts'
import { CustomerDatesEntity } from './reminder.entity.ts'
import { ScriptPicker } from './script-pick.ts'
import { readSettings } from './settings.ts'
import { SopService } from './sop.service.ts'
import { TaskService } from './task.service.ts'

const pad = (n: number) => String(n).padStart(2, '0')

export class ReminderService {
  readonly predictions: PredictionService
  readonly triggers: ReminderTriggers
  readonly sop: SopService
  readonly tasks: TaskService

  constructor(
    app: FastifyInstance,
    private readonly db: DataSource,
    private readonly log: FastifyBaseLogger,
  ) {
    this.predictions = new PredictionService(db)
    this.triggers = new ReminderTriggers(db, new ScriptPicker(app, db))
    this.sop = new SopService(db)
    this.tasks = new TaskService(db, app.wecom, app.config.wecom.agentId, app.config.publicUrl, log)
  }

  /** The daily scan. `now` is a parameter so tests can stand on any day. */
  async scan(now = new Date()): Promise<ScanResult> {
    const settings = await readSettings(this.db)
    const predictions = await this.predictions.recomputeAll(now)
    const reminders = await this.triggers.run(settings, now)
    const sopTasks = await this.sop.run(now)
    const inviteTasks = await this.tasks.invites.sync(now)
    const messages = await this.tasks.notify(now)
    this.log.info({ predictions, reminders, sopTasks, inviteTasks, messages }, 'reminder scan done')
    return { predictions, reminders, sopTasks, inviteTasks, messages }
  }

  async digest(now = new Date()): Promise<number> {
    if (!(await readSettings(this.db)).digestEnabled) return 0
    return this.tasks.digest(now)
  }

  /** A new or changed order moves the prediction and closes reminders it made stale. */
  async onOrdersChanged(externalUserIds: string[]): Promise<void> {
    const ids = [...new Set(externalUserIds.filter(Boolean))]
    if (ids.length === 0) return
    await this.predictions.recomputeFor(ids)
    await this.tasks.closeStale(ids, (await readSettings(this.db)).dormantDays)
  }

  async dates(externalUserId: string): Promise<CustomerDates> {
    const row = await this.db.getRepository(CustomerDatesEntity).findOneBy({ externalUserId })
    return {
      birthday: row?.birthMonth && row.birthDay ? `${pad(row.birthMonth)}-${pad(row.birthDay)}` : null,
      benefitExpiresOn: row?.benefitExpiresOn ?? null,
    }
  }

  async setDates(externalUserId: string, input: CustomerDates): Promise<CustomerDates> {
    let birthMonth: number | null = null
    let birthDay: number | null = null
    if (input.birthday) {
      ;[birthMonth, birthDay] = input.birthday.split('-').map(Number)
      const max = new Date(Date.UTC(2024, birthMonth, 0)).getUTCDate() // 2024: Feb 29 is a birthday
      if (birthDay > max) throw badRequest('bad_birthday', `${input.birthday} is not a date`)
    }
    if (input.benefitExpiresOn && Number.isNaN(Date.parse(`${input.benefitExpiresOn}T00:00:00Z`)))
      throw badRequest('bad_date', `${input.benefitExpiresOn} is not a date`)
    await this.db.getRepository(CustomerDatesEntity).upsert(
      {
        externalUserId,
        birthMonth,
        birthDay,
        benefitExpiresOn: input.benefitExpiresOn,
        updatedAt: new Date(),
      },
      ['externalUserId'],
    )
    return this.dates(externalUserId)
  }

  async customerView(userId: string, externalUserId: string): Promise<CustomerTasksView> {
    const [tasks, predictions, dates] = await Promise.all([
      this.tasks.openFor(userId, externalUserId),
      this.predictions.forCustomer(externalUserId),
      this.dates(externalUserId),
    ])
    return { tasks, predictions, dates }
  }
}
