/** Why the page has no position: the customer said no, the device could not tell, or it took too long. */
export type LocationFailure = 'denied' | 'unavailable' | 'timeout' | 'unsupported'

export type LocationResult = { ok: true; lat: number; lng: number } | { ok: false; reason: LocationFailure }

/** Asks the browser once. Geolocation only exists on https (or localhost); elsewhere it is unsupported. */
export function locate(timeoutMs = 10_000): Promise<LocationResult> {
  if (!('geolocation' in navigator) || !window.isSecureContext)
    return Promise.resolve({ ok: false, reason: 'unsupported' })
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ ok: true, lat: pos.coords.latitude, lng: pos.coords.longitude }),
      (err) =>
        resolve({
          ok: false,
          reason:
            err.code === err.PERMISSION_DENIED
              ? 'denied'
              : err.code === err.TIMEOUT
                ? 'timeout'
                : 'unavailable',
        }),
      { enableHighAccuracy: false, timeout: timeoutMs, maximumAge: 5 * 60_000 },
    )
  })
}

/** `?radiusKm=` from the shared link (0.1–100 km), else the default 3 km. */
export function radiusFromQuery(search = window.location.search): number {
  const value = Number(new URLSearchParams(search).get('radiusKm'))
  return Number.isFinite(value) && value >= 0.1 && value <= 100 ? value : 3
}

export const formatDistance = (km: number) =>
  km < 1 ? `${Math.round(km * 1000)} m` : km < 100 ? `${km.toFixed(1)} km` : `${Math.round(km)} km`
