// QR images behind qr_code URLs; each encodes a simulator "scan" URL so the demo can follow it.
import type { FastifyInstance } from 'fastify'
import QRCode from 'qrcode'
import type { SimulatedCorp } from './corp.ts'
import { baseUrlOf } from './http.ts'

export function registerQrImages(app: FastifyInstance, corp: SimulatedCorp): void {
  app.get<{ Params: { kind: string; file: string } }>('/_qr/:kind/:file', async (req, reply) => {
    const id = req.params.file.replace(/\.png$/, '')
    const known =
      (req.params.kind === 'contact_way' && corp.data.contactWays.has(id)) ||
      (req.params.kind === 'join_way' && corp.data.joinWays.has(id))
    if (!known) return reply.code(404).send('not found')
    const scanUrl = `${baseUrlOf(req, app.prefix)}/_control/scan/${req.params.kind}/${id}`
    const png = await QRCode.toBuffer(scanUrl, { type: 'png', margin: 2, width: 280 })
    return reply.type('image/png').header('cache-control', 'no-store').send(png)
  })
}
