import { EntitySchema } from 'typeorm'

/** Shared cache for WeCom access tokens and JS-SDK tickets, so several instances reuse one token. */
export interface CachedCredential {
  key: string
  value: string
  expiresAt: Date
}

export const CachedCredentialEntity = new EntitySchema<CachedCredential>({
  name: 'CachedCredential',
  tableName: 'wecom_credential',
  columns: {
    key: { name: 'cache_key', type: 'varchar', length: 128, primary: true },
    value: { type: 'text' },
    expiresAt: { name: 'expires_at', type: 'datetime' },
  },
})
