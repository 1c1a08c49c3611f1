import { Type, type Static } from 'typebox'

export const AdminRole = Type.Union([Type.Literal('admin'), Type.Literal('operator')])
export type AdminRole = Static<typeof AdminRole>

export const AdminUser = Type.Object({ id: Type.Integer(), username: Type.String(), role: AdminRole })
export type AdminUser = Static<typeof AdminUser>

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
})
export type LoginBody = Static<typeof LoginBody>
