/** UTF-8 bytes of a string: WeCom limits message texts in bytes, not characters. */
export const byteLength = (s: string) => new TextEncoder().encode(s).length
