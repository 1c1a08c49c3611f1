// Fault injection: ordered rules consumed by the next matching API calls (rate limits, 5xx, slowness, drops).
import { matchPath } from './call-log.ts'

export type FaultKind = 'errcode' | 'http5xx' | 'latency' | 'drop'

export interface FaultRule {
  /** Exact API path (e.g. `/cgi-bin/externalcontact/get`), a prefix ending with `*`, or `*` for all. */
  path: string
  kind: FaultKind
  /** errcode to answer (kind errcode), e.g. 45009, 45033, 42001, 40014, -1. */
  errcode?: number
  errmsg?: string
  /** HTTP status for http5xx (default 503). */
  status?: number
  /** Delay for latency (the call then proceeds normally). */
  ms?: number
  /** drop: `hang` keeps the socket open and never answers; default destroys the socket. */
  hang?: boolean
  /** How many matching calls this rule takes (default 1). */
  times?: number
}

export interface ActiveFault extends Required<Pick<FaultRule, 'path' | 'kind'>> {
  id: number
  rule: FaultRule
  remaining: number
}

const DEFAULT_ERRMSG: Record<number, string> = {
  [-1]: 'system is busy',
  40014: 'invalid access_token',
  42001: 'access_token expired',
  45009: 'api freq out of limit',
  45033: 'api concurrent out of limit',
}

export function faultErrmsg(rule: FaultRule): string {
  return rule.errmsg ?? DEFAULT_ERRMSG[rule.errcode ?? -1] ?? 'simulated fault'
}

export class FaultInjector {
  private rules: ActiveFault[] = []
  private nextId = 1

  add(rule: FaultRule): ActiveFault {
    const active = { id: this.nextId++, path: rule.path, kind: rule.kind, rule, remaining: rule.times ?? 1 }
    this.rules.push(active)
    return active
  }

  /** The first rule (in insertion order) matching the path takes the call. */
  take(path: string): FaultRule | undefined {
    const hit = this.rules.find((r) => r.remaining > 0 && matchPath(r.path, path))
    if (!hit) return undefined
    hit.remaining--
    if (hit.remaining <= 0) this.rules = this.rules.filter((r) => r !== hit)
    return hit.rule
  }

  list(): ActiveFault[] {
    return [...this.rules]
  }

  remove(id: number): boolean {
    const before = this.rules.length
    this.rules = this.rules.filter((r) => r.id !== id)
    return this.rules.length !== before
  }

  clear(): void {
    this.rules = []
  }
}
