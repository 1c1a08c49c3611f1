// WeCom's qr_code URLs (contact ways, join ways) are fetched by our server: the browser never talks to
// WeCom, and downloads get a sensible file name.
import axios from 'axios'
import { AppError } from '../lib/errors.ts'

export interface QrImage {
  png: Buffer
  type: string
}

export async function fetchQrImage(qrCode: string | null | undefined): Promise<QrImage> {
  if (!qrCode) throw new AppError(404, 'no_qr_code', 'this code has no QR image yet')
  const res = await axios.get<ArrayBuffer>(qrCode, {
    responseType: 'arraybuffer',
    timeout: 10_000,
    validateStatus: () => true,
  })
  if (res.status !== 200)
    throw new AppError(502, 'qr_unavailable', `WeCom answered HTTP ${res.status} for the QR image`)
  return { png: Buffer.from(res.data), type: String(res.headers['content-type'] ?? 'image/png') }
}
