/** Number formats for the comparison and load views. */
export function dollars(n: number): string {
  if (n !== 0 && Math.abs(n) < 0.01) return `$${n.toPrecision(2)}`;
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function ms(n: number): string {
  return `${Math.round(n).toLocaleString('en-US')} ms`;
}

/** 26,280,000 → "26.3 million"; 1,500 → "1,500". */
export function count(n: number): string {
  if (n >= 1e9) return `${trim(n / 1e9)} billion`;
  if (n >= 1e6) return `${trim(n / 1e6)} million`;
  return Math.round(n).toLocaleString('en-US');
}

function trim(x: number): string {
  return x >= 100 ? Math.round(x).toString() : x.toFixed(x >= 10 ? 1 : 2).replace(/\.?0+$/, '');
}
