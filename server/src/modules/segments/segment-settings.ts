// Small key → JSON store for the segments module (settings, mirror state, RFM cut-offs).
import type { DataSource } from 'typeorm'
import type { SegmentSettings } from '@scrm/shared'
import { SegmentSettingEntity } from './segment.entity.ts'

export const DEFAULT_SETTINGS: SegmentSettings = {
  priceHighShare: 0.6,
  priceLowShare: 0.2,
  valueMidCents: 20_000,
  valueHighCents: 100_000,
  frequentOrders: 3,
  intervalMonthlyDays: 35,
  intervalQuarterlyDays: 100,
  mirrorEnabled: false,
  mirrorDimensions: ['tier', 'rfm', 'price'],
}

export const MIRROR_GROUP_NAME = 'SCRM 分层'

export async function readSetting<T>(db: DataSource, name: string, fallback: T): Promise<T> {
  const row = await db.getRepository(SegmentSettingEntity).findOneBy({ name })
  if (!row) return fallback
  try {
    return JSON.parse(row.value) as T
  } catch {
    return fallback
  }
}

export async function writeSetting(db: DataSource, name: string, value: unknown): Promise<void> {
  await db.getRepository(SegmentSettingEntity).upsert({ name, value: JSON.stringify(value) }, ['name'])
}

export async function loadSettings(db: DataSource): Promise<SegmentSettings> {
  return { ...DEFAULT_SETTINGS, ...(await readSetting<Partial<SegmentSettings>>(db, 'settings', {})) }
}
