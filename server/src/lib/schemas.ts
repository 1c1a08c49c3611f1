// Transitional: the schemas live in @scrm/shared; import from there.
export { ErrorBody, IsoDate, NullableIsoDate } from '@scrm/shared'
