import { EntitySchema } from 'typeorm'

/** Who runs a scheduled job right now: only the holder of an unexpired lease runs it. */
export interface JobLease {
  name: string
  holder: string
  leaseUntil: Date
  lastRunAt: Date | null
  lastError: string | null
}

export const JobLeaseEntity = new EntitySchema<JobLease>({
  name: 'JobLease',
  tableName: 'job_lease',
  columns: {
    name: { type: 'varchar', length: 64, primary: true },
    holder: { type: 'varchar', length: 64, default: '' },
    leaseUntil: { name: 'lease_until', type: 'datetime' },
    lastRunAt: { name: 'last_run_at', type: 'datetime', nullable: true },
    lastError: { name: 'last_error', type: 'text', nullable: true },
  },
})
