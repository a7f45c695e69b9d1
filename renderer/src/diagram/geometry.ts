/**
 * Edges of the lifecycle diagram as cubic Bézier curves: one description drawn by d3's link
 * generators (the SVG path) and evaluated here (where the packet is at a fraction of the edge),
 * so the drawn rail and the animated packet always agree. Pure: no DOM.
 */
import { linkHorizontal, linkVertical } from 'd3';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Edge {
  readonly from: Point;
  readonly c1: Point;
  readonly c2: Point;
  readonly to: Point;
  /** Which link generator draws it: the control points follow d3's. */
  readonly orient: 'horizontal' | 'vertical';
}

/** An edge leaving and entering horizontally (the lanes), or vertically (to and from the gateway-response box). */
export function edgeBetween(from: Point, to: Point, orient: 'horizontal' | 'vertical' = 'horizontal'): Edge {
  if (orient === 'vertical') {
    const my = (from.y + to.y) / 2;
    return { from, c1: { x: from.x, y: my }, c2: { x: to.x, y: my }, to, orient };
  }
  const mx = (from.x + to.x) / 2;
  return { from, c1: { x: mx, y: from.y }, c2: { x: mx, y: to.y }, to, orient };
}

const horizontal = linkHorizontal<{ source: [number, number]; target: [number, number] }, [number, number]>();
const vertical = linkVertical<{ source: [number, number]; target: [number, number] }, [number, number]>();

/** The SVG path of an edge, from d3's link generators (the same control points as pointOnEdge). */
export function edgePath(e: Edge): string {
  const link = e.orient === 'vertical' ? vertical : horizontal;
  return link({ source: [e.from.x, e.from.y], target: [e.to.x, e.to.y] }) ?? '';
}

/** The point at parameter u (0..1) of the edge's cubic Bézier. */
export function pointOnEdge(e: Edge, u: number): Point {
  const v = Math.min(1, Math.max(0, u));
  const w = 1 - v;
  const a = w * w * w;
  const b = 3 * w * w * v;
  const c = 3 * w * v * v;
  const d = v * v * v;
  return { x: a * e.from.x + b * e.c1.x + c * e.c2.x + d * e.to.x, y: a * e.from.y + b * e.c1.y + c * e.c2.y + d * e.to.y };
}

export function samePoint(a: Point, b: Point): boolean {
  return Math.abs(a.x - b.x) < 0.01 && Math.abs(a.y - b.y) < 0.01;
}
