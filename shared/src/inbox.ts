import { Type, type Static } from 'typebox'
import { IsoDate, NullableIsoDate } from './common.ts'

/** 回调收件箱 row states: pending → processing → done | ignored; failures: retry, then parked. */
export const INBOX_STATUSES = ['pending', 'processing', 'retry', 'done', 'ignored', 'parked'] as const
export const InboxStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('processing'),
  Type.Literal('retry'),
  Type.Literal('done'),
  Type.Literal('ignored'),
  Type.Literal('parked'),
])
export type InboxStatus = (typeof INBOX_STATUSES)[number]

export const InboxItem = Type.Object({
  id: Type.Integer(),
  event: Type.String(),
  changeType: Type.String(),
  entityKey: Type.String(),
  status: InboxStatus,
  attempts: Type.Integer(),
  stepsDone: Type.Array(Type.String()),
  lastError: Type.Union([Type.String(), Type.Null()]),
  receivedAt: IsoDate,
  processedAt: NullableIsoDate,
})
export type InboxItem = Static<typeof InboxItem>

export const InboxStats = Type.Record(Type.String(), Type.Integer())
export type InboxStats = Record<InboxStatus, number>
