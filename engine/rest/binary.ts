/** binaryMediaTypes: which payloads API Gateway treats as binary. */

/** `image/png` matches a configured `image/png`, `image/*` or `*\/*`. Wildcards only on the configured side. */
export function isBinaryMediaType(binaryMediaTypes: readonly string[], mediaType: string | undefined): boolean {
  if (!mediaType) return false;
  const [type] = mediaType.split('/');
  return binaryMediaTypes.some((b) => {
    const t = b.trim().toLowerCase();
    return t === mediaType || t === '*/*' || t === `${type}/*`;
  });
}
