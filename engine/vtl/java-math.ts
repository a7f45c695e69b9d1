/**
 * Arithmetic and comparison with Velocity 1.7's MathUtils rules.
 *
 * Two integers (Integer, Long) compute in 64-bit integer arithmetic and the result narrows to
 * the wider operand's type: Integer + Integer stays an Integer unless it overflows, which
 * widens to Long (2147483647 + 1 = 2147483648), and Long overflow widens to BigInteger. `/` on
 * integers truncates toward zero and `%` keeps the dividend's sign, as in Java. Anything with
 * a Double computes in double. Division or modulo by zero gives null (the #set is then ignored).
 */
import { JavaDouble, JavaLong, javaIntegerFromBigInt } from './java-values';

export type JavaNum = number | JavaDouble | JavaLong;

const LONG_MIN = -9223372036854775808n;
const LONG_MAX = 9223372036854775807n;

function isIntegral(n: JavaNum): n is number | JavaLong {
  return typeof n === 'number' || n instanceof JavaLong;
}

function toBig(n: number | JavaLong): bigint {
  return typeof n === 'number' ? BigInt(n) : n.value;
}

function toDouble(n: JavaNum): number {
  if (typeof n === 'number') return n;
  if (n instanceof JavaDouble) return n.value;
  return Number(n.value);
}

/** MathUtils.wrapPrimitive: the result keeps the wider operand's type, widening when it must. */
function wrapInteger(result: bigint, a: number | JavaLong, b: number | JavaLong): number | JavaLong {
  const bothInt = typeof a === 'number' && typeof b === 'number';
  if (bothInt && result >= -2147483648n && result <= 2147483647n) return Number(result);
  if (result >= LONG_MIN && result <= LONG_MAX) return new JavaLong(result);
  return new JavaLong(result, true);
}

type Op = '+' | '-' | '*' | '/' | '%';

/** Returns null where Velocity does (division by zero). */
export function arithmetic(op: Op, a: JavaNum, b: JavaNum): JavaNum | null {
  if (isIntegral(a) && isIntegral(b)) {
    const x = toBig(a);
    const y = toBig(b);
    const big = (a instanceof JavaLong && a.big) || (b instanceof JavaLong && b.big);
    if ((op === '/' || op === '%') && y === 0n) return null;
    let r: bigint;
    switch (op) {
      case '+':
        r = x + y;
        break;
      case '-':
        r = x - y;
        break;
      case '*':
        r = x * y;
        break;
      case '/':
        // Long.MIN_VALUE / -1 wraps in Java's 64-bit arithmetic.
        r = big ? x / y : BigInt.asIntN(64, x / y);
        break;
      case '%':
        // BigInteger.mod is never negative; long % keeps the dividend's sign.
        r = big ? ((x % y) + y) % y : x % y;
        break;
    }
    if (big) return new JavaLong(r, true);
    return wrapInteger(r, a, b);
  }
  const x = toDouble(a);
  const y = toDouble(b);
  if ((op === '/' || op === '%') && y === 0) return null;
  switch (op) {
    case '+':
      return new JavaDouble(x + y);
    case '-':
      return new JavaDouble(x - y);
    case '*':
      return new JavaDouble(x * y);
    case '/':
      return new JavaDouble(x / y);
    case '%':
      return new JavaDouble(x % y);
  }
}

/** MathUtils.compare: -1, 0 or 1. NaN compares equal to everything, as in Velocity. */
export function compareNumbers(a: JavaNum, b: JavaNum): number {
  if (isIntegral(a) && isIntegral(b)) {
    const x = toBig(a);
    const y = toBig(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = toDouble(a);
  const y = toDouble(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export { javaIntegerFromBigInt };
