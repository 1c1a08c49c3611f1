// Each suite runs against both real databases: a throwaway MariaDB database and a throwaway SQLite file.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql from 'mysql2/promise'

export interface TestDatabase {
  kind: 'sqlite' | 'mariadb'
  url: string
  drop(): Promise<void>
}

const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

export const DATABASE_KINDS = (process.env.TEST_DATABASES ?? 'sqlite,mariadb')
  .split(',')
  .map((s) => s.trim()) as Array<TestDatabase['kind']>

export async function createTestDatabase(kind: TestDatabase['kind']): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'scrm-test-'))
    return {
      kind,
      url: `sqlite:${join(dir, 'test.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    }
  }
  const name = `scrm_t_${randomBytes(5).toString('hex')}`
  const admin = new URL(MYSQL_ADMIN_URL)
  const conn = await mysql.createConnection({
    host: admin.hostname,
    port: Number(admin.port || 3306),
    user: decodeURIComponent(admin.username),
    password: decodeURIComponent(admin.password),
  })
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  await conn.end()
  const url = new URL(MYSQL_ADMIN_URL)
  url.pathname = `/${name}`
  return {
    kind,
    url: url.toString(),
    drop: async () => {
      const c = await mysql.createConnection({
        host: admin.hostname,
        port: Number(admin.port || 3306),
        user: decodeURIComponent(admin.username),
        password: decodeURIComponent(admin.password),
      })
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``)
      await c.end()
    },
  }
}
