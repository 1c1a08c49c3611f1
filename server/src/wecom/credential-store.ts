import type { DataSource } from 'typeorm'
import { CachedCredentialEntity } from '../db/credential.entity.ts'

/**
 * Caches short-lived WeCom credentials (access token, JS-SDK tickets) in memory and in the database,
 * so every instance shares one token (fetching one per call earns 45009) and a restart reuses it.
 * Concurrent misses for the same key share one fetch.
 */
export class CredentialStore {
  private readonly memory = new Map<string, { value: string; expiresAt: number }>()
  private readonly inFlight = new Map<string, Promise<string>>()

  constructor(
    private readonly db: DataSource,
    // Refresh this long before WeCom's expiry, so a call never races the deadline.
    private readonly refreshMarginMs = 5 * 60_000,
  ) {}

  async get(
    key: string,
    fetchFresh: () => Promise<{ value: string; expiresInSec: number }>,
  ): Promise<string> {
    const now = Date.now()
    const cached = this.memory.get(key)
    if (cached && cached.expiresAt - this.refreshMarginMs > now) return cached.value
    let pending = this.inFlight.get(key)
    if (!pending) {
      pending = this.load(key, fetchFresh).finally(() => this.inFlight.delete(key))
      this.inFlight.set(key, pending)
    }
    return pending
  }

  /** Drops a credential WeCom rejected (40014/42001), unless another caller already replaced it. */
  async invalidate(key: string, rejectedValue: string): Promise<void> {
    if (this.memory.get(key)?.value === rejectedValue) this.memory.delete(key)
    await this.db.getRepository(CachedCredentialEntity).delete({ key, value: rejectedValue })
  }

  private async load(key: string, fetchFresh: () => Promise<{ value: string; expiresInSec: number }>) {
    const repo = this.db.getRepository(CachedCredentialEntity)
    const row = await repo.findOneBy({ key })
    if (row && row.expiresAt.getTime() - this.refreshMarginMs > Date.now()) {
      this.memory.set(key, { value: row.value, expiresAt: row.expiresAt.getTime() })
      return row.value
    }
    const fresh = await fetchFresh()
    const expiresAt = new Date(Date.now() + fresh.expiresInSec * 1000)
    await repo.upsert({ key, value: fresh.value, expiresAt }, ['key'])
    this.memory.set(key, { value: fresh.value, expiresAt: expiresAt.getTime() })
    return fresh.value
  }
}
