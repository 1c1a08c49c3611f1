// `pnpm sync`: one full directory sync (staff, tags, contacts, groups) against the configured corp,
// resuming an interrupted run. Progress is logged per phase and visible in the admin console.
import 'dotenv/config'
import { buildApp } from '../app.ts'
import { loadConfig } from '../config.ts'
import { SyncRunEntity } from '../modules/directory/sync-run.entity.ts'

const config = { ...loadConfig(), workers: false }
if (config.simulator) {
  console.error(
    'WECOM_SIMULATOR is on: the simulator lives inside the server process; start the demo instead.',
  )
  process.exit(2)
}
const app = await buildApp(config)
await app.ready()
try {
  const run = await app.directorySync.start()
  await app.directorySync.wait()
  const done = await app.db.getRepository(SyncRunEntity).findOneByOrFail({ id: run.id })
  console.log(`sync run ${done.id}: ${done.status} ${done.counts}${done.error ? ` — ${done.error}` : ''}`)
  process.exitCode = done.status === 'done' ? 0 : 1
} finally {
  await app.close()
}
