// Demo SOP rules, then one scan, so the demo's sidebar and 提醒与SOP page have tasks to show.
// Seeded once (only when there are no rules yet).
import type { App } from '../../app.ts'
import { ScriptEntity } from '../scripts/script.entity.ts'
import { FollowupRuleEntity } from './reminder.entity.ts'

export async function seedDemoReminders(app: App): Promise<void> {
  if ((await app.db.getRepository(FollowupRuleEntity).count()) > 0) return
  const scripts = await app.db.getRepository(ScriptEntity).find()
  const scriptId = (title: string) => scripts.find((s) => s.title === title && !s.deletedAt)?.id ?? null
  await app.reminders.sop.save({
    name: '新客3天未下单',
    trigger: 'days_after_add',
    params: { days: 3, noOrder: true },
    scriptId: scriptId('新客欢迎'),
    message: '可以送一张新人券促成首单',
    enabled: true,
  })
  await app.reminders.sop.save({
    name: '生日月关怀',
    trigger: 'birthday_month',
    params: {},
    scriptId: scriptId('老客回访'),
    message: '生日当月送上祝福和生日礼',
    enabled: true,
  })
  await app.reminders.scan()
}
