import { Type } from 'typebox'

export const ErrorBody = Type.Object(
  { statusCode: Type.Integer(), code: Type.String(), message: Type.String() },
  { additionalProperties: true },
)

export const Paging = Type.Object({
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
})

export const IsoDate = Type.String({ format: 'date-time' })
export const NullableIsoDate = Type.Union([Type.String({ format: 'date-time' }), Type.Null()])
