#!/usr/bin/env node
// Runs every test file with Node's test runner (TypeScript through tsx): server suites on SQLite and
// MariaDB, then the browser tests against the built web app. Exits non-zero when any test fails.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const find = (dir, re) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => re.test(f) && !f.includes('node_modules'))
        .sort()
        .map((f) => join(dir, f))
    : []

const only = process.argv.slice(2)
let files = [
  ...find(join(root, 'server/test'), /\.test\.ts$/),
  ...find(join(root, 'sidebar-web/e2e'), /\.test\.ts$/),
]
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)))

const needsWeb = files.some((f) => f.includes('sidebar-web/e2e'))
if (needsWeb && !process.env.SKIP_WEB_BUILD) {
  const build = spawnSync('npx', ['-y', 'pnpm@10', '--filter', 'sidebar-web', 'build'], {
    cwd: root,
    stdio: 'inherit',
  })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const res = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=180000', ...files],
  { cwd: join(root, 'server'), stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
)
process.exit(res.status ?? 1)
