// `pnpm admin:create <username> [admin|operator]`: creates an admin user; the password is read from
// ADMIN_PASSWORD or prompted for, never passed on the command line (it would land in shell history).
import 'dotenv/config'
import { createInterface } from 'node:readline/promises'
import { createDataSource } from '../db/data-source.ts'
import { AppError } from '../lib/errors.ts'
import { AdminUserService } from '../modules/auth/admin-user.service.ts'

const [username, role = 'admin'] = process.argv.slice(2)
if (!username || (role !== 'admin' && role !== 'operator')) {
  console.error(
    'usage: admin:create <username> [admin|operator]   (password from ADMIN_PASSWORD or a prompt)',
  )
  process.exit(2)
}
let password = process.env.ADMIN_PASSWORD
if (!password) {
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  password = await rl.question('password (8+ characters): ')
  rl.close()
}
const db = await createDataSource(process.env.DATABASE_URL || 'sqlite:./data/scrm.sqlite').initialize()
try {
  await db.runMigrations()
  const user = await new AdminUserService(db).create(username, password, role)
  console.log(`created ${user.role} "${user.username}" (id ${user.id})`)
} catch (err) {
  console.error(err instanceof AppError ? err.message : err)
  process.exitCode = 1
} finally {
  await db.destroy()
}
