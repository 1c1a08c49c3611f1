// `pnpm migration:run` / `pnpm migration:revert`: apply or undo migrations on DATABASE_URL.
import 'dotenv/config'
import { createDataSource } from '../db/data-source.ts'

const action = process.argv[2]
if (action !== 'run' && action !== 'revert') {
  console.error('usage: migrate.ts run|revert')
  process.exit(2)
}
const url = process.env.DATABASE_URL || 'sqlite:./data/scrm.sqlite'
const db = await createDataSource(url).initialize()
try {
  if (action === 'run') {
    const ran = await db.runMigrations()
    console.log(ran.length ? `applied: ${ran.map((m) => m.name).join(', ')}` : 'schema is up to date')
  } else {
    await db.undoLastMigration()
    console.log('reverted the last migration')
  }
} finally {
  await db.destroy()
}
