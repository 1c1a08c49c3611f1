import { EntitySchema } from 'typeorm'

export type AdminRole = 'admin' | 'operator'

export interface AdminUser {
  id: number
  username: string
  passwordHash: string
  role: AdminRole
  createdAt: Date
  lastLoginAt: Date | null
}

export const AdminUserEntity = new EntitySchema<AdminUser>({
  name: 'AdminUser',
  tableName: 'admin_user',
  columns: {
    id: { type: 'integer', primary: true, generated: 'increment' },
    username: { type: 'varchar', length: 64, unique: true },
    passwordHash: { name: 'password_hash', type: 'varchar', length: 255 },
    role: { type: 'varchar', length: 16 },
    createdAt: { name: 'created_at', type: 'datetime' },
    lastLoginAt: { name: 'last_login_at', type: 'datetime', nullable: true },
  },
})
