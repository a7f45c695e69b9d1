/**
 * Double.toString() as Java prints it: `1.0`, `0.001`, `1234567.0`, then `1.0E7`, `1.0E-4`.
 *
 * JavaScript's shortest round-trip digits are the same digits Java (JDK 19+, and almost always
 * earlier JDKs) picks; only the layout differs.
 */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  // Java's algorithm prints two digits for the smallest subnormal, where the shortest form has one.
  if (Math.abs(d) === 5e-324) return d < 0 ? '-4.9E-324' : '4.9E-324';
  const sign = d < 0 ? '-' : '';
  const abs = Math.abs(d);
  const [mantissa = '0', expText = '0'] = abs.toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1);
      return `${sign}${intPart}.${frac || '0'}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exp}`;
}
