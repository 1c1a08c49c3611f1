// Every API call the simulator answers, so tests can assert what the product asked WeCom to do.
export interface ApiCall {
  seq: number
  time: number
  method: string
  path: string
  /** Query string without access_token. */
  query: Record<string, string>
  body: unknown
  errcode: number | null
  http_status: number
  /** Set when a fault rule decided the answer. */
  fault?: string
  duration_ms: number
}

export interface CallFilter {
  /** Exact path, or a prefix when it ends with `*`. */
  path?: string
  since?: number
  limit?: number
}

export class CallLog {
  private calls: ApiCall[] = []
  private seq = 0

  constructor(private readonly max = 10_000) {}

  record(call: Omit<ApiCall, 'seq'>): ApiCall {
    const entry = { seq: ++this.seq, ...call }
    this.calls.push(entry)
    if (this.calls.length > this.max) this.calls.splice(0, this.calls.length - this.max)
    return entry
  }

  list(filter: CallFilter = {}): ApiCall[] {
    let out = this.calls.filter((c) => matchPath(filter.path, c.path) && c.seq > (filter.since ?? 0))
    if (filter.limit !== undefined) out = out.slice(-filter.limit)
    return out
  }

  count(path?: string): number {
    return this.list({ path }).length
  }

  get lastSeq(): number {
    return this.seq
  }

  clear(): void {
    this.calls = []
  }
}

export function matchPath(pattern: string | undefined, path: string): boolean {
  if (!pattern || pattern === '*') return true
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern
}
