import type { DataSource, Repository } from 'typeorm'
import { AppError } from '../../lib/errors.ts'
import { AdminUserEntity, type AdminRole, type AdminUser } from './admin-user.entity.ts'
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.ts'

export interface PublicAdminUser {
  id: number
  username: string
  role: AdminRole
}

export const toPublic = (u: AdminUser): PublicAdminUser => ({ id: u.id, username: u.username, role: u.role })

export class AdminUserService {
  private readonly repo: Repository<AdminUser>
  constructor(db: DataSource) {
    this.repo = db.getRepository(AdminUserEntity)
  }

  async create(username: string, password: string, role: AdminRole): Promise<PublicAdminUser> {
    if (password.length < 8)
      throw new AppError(400, 'weak_password', 'password must be at least 8 characters')
    if (await this.repo.existsBy({ username }))
      throw new AppError(409, 'username_taken', `admin user "${username}" already exists`)
    const user = await this.repo.save({
      username,
      passwordHash: await hashPassword(password),
      role,
      createdAt: new Date(),
      lastLoginAt: null,
    })
    return toPublic(user)
  }

  /** Returns the user when the password matches; null otherwise, without revealing which part was wrong. */
  async authenticate(username: string, password: string): Promise<PublicAdminUser | null> {
    const user = await this.repo.findOneBy({ username })
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)
    if (!user || !ok) return null
    await this.repo.update({ id: user.id }, { lastLoginAt: new Date() })
    return toPublic(user)
  }

  async findById(id: number): Promise<PublicAdminUser | null> {
    const user = await this.repo.findOneBy({ id })
    return user ? toPublic(user) : null
  }

  count(): Promise<number> {
    return this.repo.count()
  }

  async list(): Promise<PublicAdminUser[]> {
    return (await this.repo.find({ order: { id: 'ASC' } })).map(toPublic)
  }
}
