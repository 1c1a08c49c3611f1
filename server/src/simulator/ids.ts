// Deterministic ids: a seeded PRNG so a seeded corp always yields the same ids (tests can rely on them).
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const HEX = '0123456789abcdef'

export class IdGenerator {
  private s: number

  constructor(seed = 20240601) {
    this.s = seed >>> 0
  }

  /** mulberry32: tiny, fast, good enough for ids. */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0
    let t = this.s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  chars(n: number, alphabet = ALPHABET): string {
    let out = ''
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.next() * alphabet.length)]
    return out
  }

  /** WeCom-looking ids: `wm…` external user, `et…` tag, `wr…` chat; 32 chars in all. */
  prefixed(prefix: string): string {
    return prefix + this.chars(32 - prefix.length)
  }

  hex(n = 32): string {
    return this.chars(n, HEX)
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]
  }
}
