// Acquisition settings, stored as JSON per key in acq_setting.
import type { DataSource } from 'typeorm'
import { AcquisitionSettingEntity } from './welcome-message.entity.ts'

export interface LostAlertSettings {
  /** Send the advisor a WeCom app message when a customer is lost. */
  enabled: boolean
  /** Also told about every lost customer (besides each channel's own supervisor); '' for none. */
  supervisorUserId: string
}

const DEFAULTS = { lost_alert: { enabled: true, supervisorUserId: '' } as LostAlertSettings }
type Settings = typeof DEFAULTS

export async function readSetting<K extends keyof Settings>(db: DataSource, key: K): Promise<Settings[K]> {
  const row = await db.getRepository(AcquisitionSettingEntity).findOneBy({ key })
  return row ? { ...DEFAULTS[key], ...JSON.parse(row.value) } : DEFAULTS[key]
}

export async function writeSetting<K extends keyof Settings>(
  db: DataSource,
  key: K,
  value: Settings[K],
): Promise<void> {
  await db.getRepository(AcquisitionSettingEntity).upsert({ key, value: JSON.stringify(value) }, ['key'])
}
