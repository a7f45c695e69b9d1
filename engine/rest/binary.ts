/** binaryMediaTypes: which payloads API Gateway treats as binary. */

/**
 * `image/png` matches a configured `image/png`, `image/*` or `*\/*`: wildcards work only on
 * the configured side, and only as `type/*` or `*\/*` — an entry like `*\/test` never matches,
 * not even an Accept of `*\/test` (recorded).
 */
export function isBinaryMediaType(binaryMediaTypes: readonly string[], mediaType: string | undefined): boolean {
  if (!mediaType) return false;
  const wanted = mediaType.toLowerCase();
  const [type] = wanted.split('/');
  return binaryMediaTypes.some((b) => {
    const t = b.trim().toLowerCase();
    if (t === '*/*') return true;
    if (t.startsWith('*/')) return false;
    return t === wanted || t === `${type}/*`;
  });
}
