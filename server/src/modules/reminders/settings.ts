// Reminder settings, stored as JSON in reminder_setting (one key, defaults merged on read).
import type { DataSource } from 'typeorm'
import type { ReminderSettings } from '@scrm/shared'
import { ReminderSettingEntity } from './reminder.entity.ts'

export const DEFAULT_SETTINGS: ReminderSettings = {
  quietDays: 7,
  dormantDays: 60,
  benefitDaysBefore: 15,
  digestEnabled: true,
}

export async function readSettings(db: DataSource): Promise<ReminderSettings> {
  const row = await db.getRepository(ReminderSettingEntity).findOneBy({ key: 'reminders' })
  return row
    ? { ...DEFAULT_SETTINGS, ...(JSON.parse(row.value) as Partial<ReminderSettings>) }
    : DEFAULT_SETTINGS
}

export async function writeSettings(db: DataSource, value: ReminderSettings): Promise<ReminderSettings> {
  await db
    .getRepository(ReminderSettingEntity)
    .upsert({ key: 'reminders', value: JSON.stringify(value) }, ['key'])
  return readSettings(db)
}
