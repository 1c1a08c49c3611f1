import { randomUUID } from 'node:crypto'
import fp from 'fastify-plugin'
import cron, { type ScheduledTask } from 'node-cron'
import { acquireLease, releaseLease } from '../jobs/lease.ts'

export interface ScheduledJob {
  /** Unique; also the lease's name. */
  name: string
  /** node-cron expression, evaluated in Asia/Shanghai. */
  cron: string
  /** How long a run may hold the lease before another instance may take over (default 5 min). */
  leaseMs?: number
  run(): Promise<void>
}

export interface Scheduler {
  register(job: ScheduledJob): void
  /** Runs a job now under its lease (tests, admin triggers); false when another holder has it. */
  runNow(name: string): Promise<boolean>
}

declare module 'fastify' {
  interface FastifyInstance {
    scheduler: Scheduler
  }
}

// node-cron in every instance; a database lease decides which one actually runs each tick.
export default fp(
  async (app) => {
    const jobs = new Map<string, ScheduledJob>()
    const tasks: ScheduledTask[] = []
    const running = new Set<Promise<unknown>>()
    const holder = `${process.pid}-${randomUUID().slice(0, 8)}`
    const log = app.log.child({ component: 'scheduler' })

    const runNow = async (name: string): Promise<boolean> => {
      const job = jobs.get(name)
      if (!job) throw new Error(`unknown job ${name}`)
      if (!(await acquireLease(app.db, name, holder, job.leaseMs ?? 5 * 60_000))) return false
      let error: string | null = null
      try {
        await job.run()
      } catch (err) {
        error = String((err as Error)?.message ?? err).slice(0, 2000)
        log.error({ err, job: name }, 'scheduled job failed')
      } finally {
        await releaseLease(app.db, name, holder, error).catch((err) =>
          log.warn({ err, job: name }, 'could not release a job lease'),
        )
      }
      return true
    }

    app.decorate('scheduler', {
      register(job: ScheduledJob) {
        if (jobs.has(job.name)) throw new Error(`duplicate job ${job.name}`)
        if (!cron.validate(job.cron)) throw new Error(`job ${job.name}: invalid cron "${job.cron}"`)
        jobs.set(job.name, job)
      },
      runNow,
    })

    if (app.config.workers) {
      app.addHook('onReady', async () => {
        for (const job of jobs.values()) {
          tasks.push(
            cron.schedule(
              job.cron,
              () => {
                const p = runNow(job.name).catch((err) => log.error({ err, job: job.name }, 'job run failed'))
                running.add(p)
                void p.finally(() => running.delete(p))
              },
              { timezone: 'Asia/Shanghai', name: job.name, noOverlap: true },
            ),
          )
        }
      })
    }
    app.addHook('preClose', async () => {
      for (const t of tasks) await t.stop()
      await Promise.allSettled([...running])
    })
  },
  { name: 'scheduler', dependencies: ['db'] },
)
