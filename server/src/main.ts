import 'dotenv/config'
import { buildApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { prepareDemo } from './demo.ts'

let config
try {
  config = loadConfig()
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message)
    process.exit(1)
  }
  throw err
}

const app = await buildApp(config)

// Graceful shutdown, installed before listening so that a signal at any moment is handled: stop
// accepting, let in-flight requests and the callback batch in hand finish, then close the database
// pool (Fastify's close runs the plugins' onClose hooks in reverse order).
let closing = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    const force = setTimeout(() => process.exit(1), 20_000).unref()
    app.close().then(
      () => {
        clearTimeout(force)
        process.exit(0)
      },
      (err) => {
        app.log.error({ err }, 'error during shutdown')
        process.exit(1)
      },
    )
  })
}

await app.listen({ port: config.port, host: config.host })
// A signal during the demo's preparation closes the app under it: that failure is the shutdown's, not ours.
if (config.simulator)
  await prepareDemo(app).catch((err) => {
    if (!closing) throw err
  })
if (!closing)
  app.log.info(
    {
      admin: `${config.publicUrl}/admin/`,
      sidebar: `${config.publicUrl}/sidebar/`,
      docs: `${config.publicUrl}/docs`,
      simulator: config.simulator,
    },
    'WeCom SCRM is up',
  )
