import { Type, type Static } from 'typebox'

/** Every error the API returns: a status, a stable machine-readable code and a message. */
export const ErrorBody = Type.Object(
  { statusCode: Type.Integer(), code: Type.String(), message: Type.String() },
  { additionalProperties: true },
)
export type ErrorBody = Static<typeof ErrorBody>

export const IsoDate = Type.String({ format: 'date-time' })
export const NullableIsoDate = Type.Union([Type.String({ format: 'date-time' }), Type.Null()])

export const PageQuery = {
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
}

/** `/:id` route parameters. */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
