// Stores (门店) with a location and a group code; the public landing page finds the nearest one.
import { In, type DataSource } from 'typeorm'
import type { NearestStores, PublicStore, StoreInput, StoreItem } from '@scrm/shared'
import { serialized } from '../../db/transaction.ts'
import { badRequest, notFound } from '../../lib/errors.ts'
import { GroupCodeEntity } from './group-code.entity.ts'
import { StoreEntity, type Store } from './store.entity.ts'

export const publicQrUrl = (groupCodeId: number) => `/api/public/group-codes/${groupCodeId}/qr.png`

/** Great-circle distance in km (haversine, mean Earth radius). */
export function haversineKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180
  const dLat = (lat2 - lat1) * rad
  const dLng = (lng2 - lng1) * rad
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)))
}

export class StoreService {
  constructor(private readonly db: DataSource) {}

  private async checkCode(groupCodeId: number) {
    const code = await this.db.getRepository(GroupCodeEntity).findOneBy({ id: groupCodeId, status: 'active' })
    if (!code) throw badRequest('unknown_group_code', `group code ${groupCodeId} does not exist`)
  }

  async list(): Promise<StoreItem[]> {
    const stores = await this.db.getRepository(StoreEntity).find({ order: { id: 'ASC' } })
    const codeIds = [...new Set(stores.map((s) => s.groupCodeId))]
    const codes = codeIds.length
      ? await this.db
          .getRepository(GroupCodeEntity)
          .find({ where: { id: In(codeIds) }, select: { id: true, name: true } })
      : []
    const names = new Map(codes.map((c) => [c.id, c.name]))
    return stores.map((s) => out(s, names.get(s.groupCodeId) ?? ''))
  }

  async get(id: number): Promise<StoreItem> {
    const found = (await this.list()).find((s) => s.id === id)
    if (!found) throw notFound(`store ${id}`)
    return found
  }

  async create(input: StoreInput): Promise<StoreItem> {
    await this.checkCode(input.groupCodeId)
    const now = new Date()
    const row = await serialized(this.db, () =>
      this.db.getRepository(StoreEntity).save({ ...fields(input), createdAt: now, updatedAt: now }),
    )
    return this.get(row.id)
  }

  async update(id: number, input: StoreInput): Promise<StoreItem> {
    if (!(await this.db.getRepository(StoreEntity).existsBy({ id }))) throw notFound(`store ${id}`)
    await this.checkCode(input.groupCodeId)
    await serialized(this.db, () =>
      this.db.getRepository(StoreEntity).update({ id }, { ...fields(input), updatedAt: new Date() }),
    )
    return this.get(id)
  }

  async remove(id: number): Promise<void> {
    const res = await serialized(this.db, () => this.db.getRepository(StoreEntity).delete({ id }))
    if (!res.affected) throw notFound(`store ${id}`)
  }

  /** Every store sorted by distance; the closest within the radius is `nearest`. */
  async nearest(lat: number, lng: number, radiusKm = 3): Promise<NearestStores> {
    const stores = await this.db.getRepository(StoreEntity).find()
    const ranked: PublicStore[] = stores
      .map((s) => ({
        id: s.id,
        name: s.name,
        address: s.address,
        distanceKm: Math.round(haversineKm(lat, lng, s.lat, s.lng) * 1000) / 1000,
        qrUrl: publicQrUrl(s.groupCodeId),
      }))
      .sort((a, b) => a.distanceKm - b.distanceKm || a.id - b.id)
    const first = ranked[0]
    return {
      nearest:
        first && first.distanceKm <= radiusKm
          ? { store: first, distanceKm: first.distanceKm, qrUrl: first.qrUrl }
          : null,
      stores: ranked,
    }
  }

  /** Only codes a store uses are served publicly (no enumerating every code by id). */
  async isPublicCode(groupCodeId: number): Promise<boolean> {
    return this.db.getRepository(StoreEntity).existsBy({ groupCodeId })
  }
}

function fields(input: StoreInput) {
  const name = input.name.trim()
  if (!name) throw badRequest('invalid_name', 'store name is required')
  return {
    name,
    address: input.address.trim(),
    lat: input.lat,
    lng: input.lng,
    groupCodeId: input.groupCodeId,
  }
}

function out(s: Store, groupCodeName: string): StoreItem {
  return {
    id: s.id,
    name: s.name,
    address: s.address,
    lat: Number(s.lat),
    lng: Number(s.lng),
    groupCodeId: s.groupCodeId,
    groupCodeName,
    qrUrl: publicQrUrl(s.groupCodeId),
    createdAt: s.createdAt.toISOString(),
  }
}
