import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError, loadConfig } from '../src/config.ts'

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env)
  } catch (err) {
    assert.ok(err instanceof ConfigError)
    return err.problems.join('\n')
  }
  assert.fail('expected a ConfigError')
}

test('defaults start the demo: SQLite in ./data and the simulator on', () => {
  const c = loadConfig({})
  assert.equal(c.port, 3000)
  assert.equal(c.databaseUrl, 'sqlite:./data/scrm.sqlite')
  assert.equal(c.simulator, true)
  assert.equal(c.wecom.apiBase, 'http://127.0.0.1:3000/simulator')
  assert.equal(c.wecom.callbackAesKey.length, 43)
})

test('production without WeCom credentials names every missing variable', () => {
  const p = problemsOf({ NODE_ENV: 'production' })
  for (const name of [
    'WECOM_CORP_ID',
    'WECOM_AGENT_ID',
    'WECOM_SECRET',
    'WECOM_CALLBACK_TOKEN',
    'WECOM_CALLBACK_AES_KEY',
    'SESSION_SECRET',
  ])
    assert.match(p, new RegExp(name))
  assert.equal(
    loadConfig({ NODE_ENV: 'production', WECOM_SIMULATOR: 'true', SESSION_SECRET: 'x'.repeat(32) }).simulator,
    true,
  )
})

test('bad values are named with what was wrong', () => {
  const p = problemsOf({
    PORT: 'eighty',
    DATABASE_URL: 'postgres://x/y',
    WECOM_SIMULATOR: 'maybe',
    WECOM_CALLBACK_AES_KEY: 'short',
    WECOM_API_BASE: 'ftp://x',
  })
  assert.match(p, /PORT must be an integer/)
  assert.match(p, /DATABASE_URL must be mysql/)
  assert.match(p, /WECOM_SIMULATOR must be true or false/)
  assert.match(p, /WECOM_CALLBACK_AES_KEY must be the 43-character/)
  assert.match(p, /WECOM_API_BASE must be an http\(s\) URL/)
})

test('a real-corp config is taken as given', () => {
  const c = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: 'mysql://u:p@db:3306/scrm',
    WECOM_CORP_ID: 'ww1',
    WECOM_AGENT_ID: '1000005',
    WECOM_SECRET: 's',
    WECOM_CALLBACK_TOKEN: 't',
    WECOM_CALLBACK_AES_KEY: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
    SESSION_SECRET: 'y'.repeat(40),
    PUBLIC_URL: 'https://scrm.example.com/',
  })
  assert.equal(c.simulator, false)
  assert.equal(c.wecom.apiBase, 'https://qyapi.weixin.qq.com')
  assert.equal(c.publicUrl, 'https://scrm.example.com')
  assert.equal(c.wecom.oauthBase, 'https://open.weixin.qq.com')
})

test('ADMIN_PASSWORD must be long enough', () => {
  assert.match(
    problemsOf({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'short' }),
    /ADMIN_PASSWORD must be at least 8/,
  )
})
