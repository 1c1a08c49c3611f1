// startSimulator: the simulator on its own port (tests, or a separate dev process).
import Fastify from 'fastify'
import { SimulatedCorp, type CorpOptions } from './corp.ts'
import type { CallbackDriver, CallbackTarget } from './driver/driver.ts'
import { simulatorPlugin } from './plugin.ts'
import { seedDemoCorp } from './seed.ts'

export interface StartSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number
  host?: string
  /** Mount under a prefix (default none: `${url}/cgi-bin/gettoken`). */
  prefix?: string
  /** An existing corp, or options for a new one (seeded with the demo data unless `seed: 'empty'`). */
  corp?: SimulatedCorp | CorpOptions
  seed?: 'demo' | 'empty'
  callback?: CallbackTarget
  logger?: boolean
}

export interface RunningSimulator {
  /** Base URL to use as WECOM_API_BASE. */
  url: string
  corp: SimulatedCorp
  driver: CallbackDriver
  close(): Promise<void>
}

export async function startSimulator(opts: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  let corp: SimulatedCorp
  if (opts.corp instanceof SimulatedCorp) corp = opts.corp
  else {
    corp = new SimulatedCorp(opts.corp)
    if (opts.seed !== 'empty') seedDemoCorp(corp)
  }
  if (opts.callback) corp.callback = opts.callback
  // forceCloseConnections: a 'drop'/'hang' fault may leave sockets open; close() must not wait for them.
  const app = Fastify({ logger: opts.logger ?? false, forceCloseConnections: true })
  const prefix = opts.prefix ?? ''
  await app.register(simulatorPlugin, { corp, prefix })
  const host = opts.host ?? '127.0.0.1'
  await app.listen({ port: opts.port ?? 0, host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : opts.port
  return {
    url: `http://${host}:${port}${prefix}`,
    corp,
    driver: corp.driver,
    close: () => app.close(),
  }
}
