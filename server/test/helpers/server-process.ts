// The real server as a child process (`src/main.ts`), for crash tests and benchmarks.
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { sealCallback } from '../../src/wecom/crypto.ts'

export const PROCESS_CORP = {
  WECOM_CORP_ID: 'wwprocesscorp0001',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'process-secret',
  WECOM_CALLBACK_TOKEN: 'processtoken',
  WECOM_CALLBACK_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
}
/** The admin the child process is started with. */
export const PROCESS_ADMIN = { username: 'admin', password: 'process-admin-pw' }
export const PROCESS_CRYPTO = {
  token: PROCESS_CORP.WECOM_CALLBACK_TOKEN,
  encodingAesKey: PROCESS_CORP.WECOM_CALLBACK_AES_KEY,
  receiveId: PROCESS_CORP.WECOM_CORP_ID,
}

export interface ServerProcess {
  child: ChildProcess
  port: string
  output(): string
  ready: Promise<void>
  stop(signal?: NodeJS.Signals): Promise<void>
}

export function startServerProcess(env: Record<string, string>, extraFlags: string[] = []): ServerProcess {
  const port = env.PORT
  const child = spawn(process.execPath, [...extraFlags, '--import', 'tsx', 'src/main.ts'], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 's'.repeat(40),
      ADMIN_USERNAME: PROCESS_ADMIN.username,
      ADMIN_PASSWORD: PROCESS_ADMIN.password,
      ...PROCESS_CORP,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  const ready = (async () => {
    for (let i = 0; i < 600; i++) {
      if (child.exitCode !== null || child.signalCode) throw new Error(`server exited early:\n${out}`)
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`server did not start:\n${out}`)
  })()
  return {
    child,
    port,
    output: () => out,
    ready,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && !child.signalCode) child.kill(signal)
      await exited
    },
  }
}

/** A tag-change callback: handled by the product (it re-reads the tag list) and distinct per `id`. */
export function sealedTagEvent(id: string) {
  const xml =
    `<xml><ToUserName><![CDATA[${PROCESS_CORP.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
    `<Event><![CDATA[change_external_tag]]></Event><Id><![CDATA[${id}]]></Id><TagType><![CDATA[tag]]></TagType>` +
    `<ChangeType><![CDATA[update]]></ChangeType></xml>`
  const sealed = sealCallback(PROCESS_CRYPTO, xml)
  return { path: `/wecom/callback?${new URLSearchParams(sealed.query)}`, body: sealed.body, xml }
}

export async function freePort(): Promise<string> {
  const { createServer } = await import('node:net')
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(String(port)))
    })
  })
}
