// A product app wired to a WeCom simulator on its own port, both over real HTTP: the app calls the
// simulator's API; the simulator posts signed callbacks to the app's listening port.
import {
  startSimulator,
  DEFAULT_SECRETS,
  type RunningSimulator,
  type StartSimulatorOptions,
} from '../../src/simulator/index.ts'
import type { BuildOptions } from '../../src/app.ts'
import { createTestApp, type TestApp } from './app.ts'
import { createTestDatabase, type TestDatabase } from './databases.ts'
import { freePort } from './server-process.ts'

export const SIM_CALLBACK = {
  token: 'simtoken',
  encodingAesKey: 'ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut',
}

export interface SimulatedSetup {
  sim: RunningSimulator
  t: TestApp
  db: TestDatabase
  /** Where the app listens, e.g. `http://127.0.0.1:41234`. */
  base: string
  close(): Promise<void>
}

/** The app's settings for WeCom played by `sim` (API, OAuth, callback crypto), the app answering at `publicUrl`. */
export function simulatorEnv(sim: RunningSimulator, publicUrl: string): Record<string, string> {
  return {
    PUBLIC_URL: publicUrl,
    WECOM_API_BASE: sim.url,
    WECOM_OAUTH_BASE: sim.url,
    WECOM_CORP_ID: sim.corp.corpId,
    WECOM_SECRET: DEFAULT_SECRETS[0],
    WECOM_CALLBACK_TOKEN: SIM_CALLBACK.token,
    WECOM_CALLBACK_AES_KEY: SIM_CALLBACK.encodingAesKey,
  }
}

export async function startWithSimulator(
  kind: TestDatabase['kind'],
  opts: {
    workers?: boolean
    build?: BuildOptions
    sim?: StartSimulatorOptions
    /** Mirror the corp's directory (a full sync) before returning. */
    sync?: boolean
  } = {},
): Promise<SimulatedSetup> {
  const sim = await startSimulator({ seed: 'demo', ...opts.sim })
  const db = await createTestDatabase(kind)
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const t = await createTestApp(
    db.url,
    { ...simulatorEnv(sim, base), WORKERS: opts.workers ? 'true' : 'false' },
    { dispatcher: { pollMs: 200, backoffBaseMs: 50 }, ...opts.build },
  )
  await t.app.listen({ port: Number(port), host: '127.0.0.1' })
  sim.corp.callback = { url: `${base}/wecom/callback`, ...SIM_CALLBACK }
  const setup: SimulatedSetup = {
    sim,
    t,
    db,
    base,
    close: async () => {
      await t.close()
      await sim.close()
      await db.drop()
    },
  }
  if (opts.sync) {
    try {
      await t.app.directorySync.start()
      await t.app.directorySync.wait()
    } catch (err) {
      await setup.close()
      throw err
    }
  }
  return setup
}

/**
 * Another instance of the app on the setup's database and corp, like a scaled-out deployment: not
 * listening, no workers. The caller closes it.
 */
export function secondInstance(s: SimulatedSetup): Promise<TestApp> {
  return createTestApp(s.db.url, simulatorEnv(s.sim, s.base))
}

export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await probe()
    if (v) return v
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}
