// A database lease per scheduled job, so that with several instances on one database only one runs
// each job at a time. Taken by a conditional UPDATE (free, expired, or already ours): atomic on MySQL
// and SQLite alike, no locks held while the job runs.
import type { DataSource } from 'typeorm'
import { serialized } from '../db/transaction.ts'
import { JobLeaseEntity } from './job-lease.entity.ts'

export async function acquireLease(
  db: DataSource,
  name: string,
  holder: string,
  ms: number,
): Promise<boolean> {
  const now = new Date()
  return serialized(db, async () => {
    await db
      .createQueryBuilder()
      .insert()
      .into(JobLeaseEntity)
      .values({ name, holder: '', leaseUntil: new Date(0), lastRunAt: null, lastError: null })
      .orIgnore()
      .execute()
    const res = await db
      .createQueryBuilder()
      .update(JobLeaseEntity)
      .set({ holder, leaseUntil: new Date(now.getTime() + ms) })
      .where('name = :name AND (lease_until < :now OR holder = :holder)', { name, now, holder })
      .execute()
    return (res.affected ?? 0) > 0
  })
}

/** Ends the lease early (the job finished) and notes how the run went. */
export async function releaseLease(
  db: DataSource,
  name: string,
  holder: string,
  error: string | null,
): Promise<void> {
  await serialized(db, () =>
    db
      .createQueryBuilder()
      .update(JobLeaseEntity)
      .set({ leaseUntil: new Date(0), lastRunAt: new Date(), lastError: error })
      .where('name = :name AND holder = :holder', { name, holder })
      .execute(),
  )
}
