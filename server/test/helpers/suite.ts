import { after, before, describe } from 'node:test'
import type { BuildOptions } from '../../src/app.ts'
import { createTestApp, type TestApp } from './app.ts'
import { DATABASE_KINDS, createTestDatabase, type TestDatabase } from './databases.ts'

export interface SuiteContext {
  db: TestDatabase
  t: TestApp
}

/**
 * Declares the same suite once per database (SQLite and MariaDB), each with its own throwaway
 * database and a freshly built, migrated app.
 */
export function describeOnDatabases(
  title: string,
  body: (ctx: () => SuiteContext) => void,
  setup: { env?: () => Record<string, string>; build?: BuildOptions } = {},
) {
  for (const kind of DATABASE_KINDS) {
    describe(`${title} [${kind}]`, () => {
      let ctx: SuiteContext | undefined
      before(async () => {
        const db = await createTestDatabase(kind)
        ctx = { db, t: await createTestApp(db.url, setup.env?.() ?? {}, setup.build) }
      })
      after(async () => {
        await ctx?.t.close()
        await ctx?.db.drop()
      })
      body(() => {
        if (!ctx) throw new Error('suite not set up')
        return ctx
      })
    })
  }
}
