/**
 * vtl.renderUs: median wall time of renderTemplate for a typical 20-line request template
 * (JSONPath reads, $util, $context, a #foreach over the items, an #if) with a ~2 KB JSON
 * body, after the first call compiled and cached the template. Each render parses the body
 * afresh, as a real request would.
 */
import { renderTemplate, type RenderOptions } from '../../engine/vtl';
import type { BenchResults } from './types';

export const TEMPLATE = `#set($order = $input.path('$'))
{
  "orderId": "$context.requestId",
  "stage": "$context.stage",
  "env": "$stageVariables.env",
  "customer": {
    "id": $input.json('$.customer.id'),
    "name": "$util.escapeJavaScript($order.customer.name)",
    "email": "$order.customer.email.toLowerCase()"
  },
  "items": [
#foreach($item in $order.items)
    {"sku": "$item.sku", "qty": $item.quantity, "price": $item.price}#if($foreach.hasNext),#end
#end
  ],
  "itemCount": $order.items.size(),
#if($order.coupon)
  "coupon": "$util.urlEncode($order.coupon)",
#end
  "source": "$input.params('source')"
}`;

export function benchBody(): string {
  const items = Array.from({ length: 16 }, (_, i) => ({
    sku: `SKU-${1000 + i}`,
    name: `Item number ${i} with a fairly descriptive name`,
    quantity: (i % 4) + 1,
    price: 9.99 + i,
    tags: ['gift', 'fragile'],
  }));
  return JSON.stringify({
    customer: { id: 4711, name: "Ada O'Brien", email: 'Ada.OBrien@Example.com', address: { city: 'Dublin', zip: 'D02' } },
    items,
    coupon: 'SPRING SALE',
    note: 'Please deliver between 9 and 5',
  });
}

export function benchOptions(body = benchBody()): RenderOptions {
  return {
    input: { body, params: { path: {}, querystring: { source: 'web' }, header: {} } },
    context: { requestId: 'c0475a28-8de8-11e7-8d3f-4183da788f0f', stage: 'prod' },
    stageVariables: { env: 'prod' },
  };
}

export async function bench(): Promise<BenchResults> {
  const options = benchOptions();
  for (let i = 0; i < 2000; i++) renderTemplate(TEMPLATE, undefined, options);
  const samples: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const t = process.hrtime.bigint();
    renderTemplate(TEMPLATE, undefined, options);
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  samples.sort((a, b) => a - b);
  const median = Math.round((samples[samples.length >> 1] ?? 0) * 10) / 10;
  return { 'vtl.renderUs': { value: median, unit: 'us', target: 50, ok: median <= 50 } };
}
