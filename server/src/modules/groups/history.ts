import { DataSource, type EntityManager } from 'typeorm'
import type { GroupCodeHistoryKind } from '@scrm/shared'
import { serialized } from '../../db/transaction.ts'
import { GroupCodeHistoryEntity } from './group-code.entity.ts'

export async function addHistory(
  db: DataSource | EntityManager,
  groupCodeId: number,
  kind: GroupCodeHistoryKind,
  detail: string,
): Promise<void> {
  const write = () =>
    db
      .getRepository(GroupCodeHistoryEntity)
      .insert({ groupCodeId, kind, detail: detail.slice(0, 500), at: new Date() })
  // A DataSource write on SQLite takes its turn; an EntityManager is already inside a transaction.
  if (db instanceof DataSource) await serialized(db, write)
  else await write()
}
