#!/usr/bin/env node
// What dependency-cruiser cannot see alone: the layers of src/ as a graph of folders.
//   depcruise src --output-type json | node scripts/layers.mjs      (npm run deps)
// Reads dependency-cruiser's JSON on stdin, prints its rule violations, and fails when
// - dependency-cruiser found a violation;
// - a module of src/ lies in no layer folder (or in two) and is not an entry point;
// - a layer's `may` names a layer that does not come before it in LAYERS;
// - two layers import each other, directly or round a longer loop (a folder-level cycle).
// The layers are read back from .dependency-cruiser.cjs: its rules named layer-<name> (from: the
// layer's folder; to.pathNot: the folder itself, then the folders it may import) and the entry
// points its rule only-entry-points-outside-layers allows.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** The layer a module belongs to, undefined outside every layer; throws if it matches two. */
export function layerOf(source, layers) {
  const matches = layers.filter((l) => new RegExp(l.path).test(source));
  if (matches.length > 1) throw new Error(`${source} is in ${matches.map((l) => l.name).join(' and ')}`);
  return matches[0]?.name;
}

/** layer -> the layers it imports, over the modules of src/. */
export function layerGraph(modules, layers) {
  const graph = new Map(layers.map((l) => [l.name, new Set()]));
  for (const m of modules) {
    const from = layerOf(m.source, layers);
    if (!from) continue;
    for (const d of m.dependencies) {
      const to = layerOf(d.resolved, layers);
      if (to && to !== from) graph.get(from).add(to);
    }
  }
  return graph;
}

/** Every loop of the graph, once each, as its strongly connected component (Tarjan). */
export function cycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const found = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    let w;
    do {
      w = stack.pop();
      component.unshift(w);
    } while (w !== v);
    if (component.length > 1) found.push(component);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** The layers, in order, and the entry points, as the dependency-cruiser rules say them. */
export function layersOfConfig(config) {
  const rules = config.forbidden.filter((r) => r.name.startsWith('layer-'));
  const byPath = new Map(rules.map((r) => [r.from.path, r.name.slice('layer-'.length)]));
  const LAYERS = rules.map((r) => ({
    name: r.name.slice('layer-'.length),
    path: r.from.path,
    may: r.to.pathNot.slice(1).map((p) => byPath.get(p) ?? p),
  }));
  const ENTRY_POINTS = config.forbidden.find((r) => r.name === 'only-entry-points-outside-layers').to.pathNot;
  return { LAYERS, ENTRY_POINTS: [ENTRY_POINTS].flat() };
}

/** What is wrong with the layers, one line each; empty when they hold. */
export function layerProblems(modules, { LAYERS, ENTRY_POINTS }) {
  const problems = [];
  LAYERS.forEach((layer, i) => {
    for (const name of layer.may) {
      const at = LAYERS.findIndex((l) => l.name === name);
      if (at < 0) problems.push(`layer ${layer.name} may import ${name}, which is no layer`);
      else if (at >= i) problems.push(`layer ${layer.name} may import ${name}, which does not come before it`);
    }
  });
  const entry = (source) => ENTRY_POINTS.some((e) => new RegExp(e).test(source));
  for (const m of modules) {
    if (!m.source.startsWith('src/') || entry(m.source)) continue;
    try {
      if (!layerOf(m.source, LAYERS)) problems.push(`${m.source} lies outside every layer folder`);
    } catch (error) {
      problems.push(error.message);
    }
  }
  if (problems.length) return problems;
  const graph = layerGraph(modules, LAYERS);
  for (const loop of cycles(graph)) {
    const edges = loop.flatMap((a) => loop.filter((b) => graph.get(a).has(b)).map((b) => `${a} -> ${b}`));
    problems.push(`folder-level cycle between ${loop.join(', ')} (${edges.join('; ')})`);
  }
  return problems;
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const result = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const config = layersOfConfig(createRequire(import.meta.url)('../.dependency-cruiser.cjs'));
  const { violations, error, warn, totalCruised, totalDependenciesCruised } = result.summary;
  for (const v of violations) console.error(`  ${v.rule.severity} ${v.rule.name}: ${v.from} → ${v.to}`);
  const problems = layerProblems(result.modules, config);
  for (const p of problems) console.error(`  error layers: ${p}`);
  const layers = config.LAYERS.map((l) => l.name).join(' < ');
  if (error > 0 || problems.length > 0) {
    console.error(`\nx ${error + problems.length} problems (${warn} warnings): ${totalCruised} modules cruised.`);
    process.exitCode = 1;
    return;
  }
  console.log(
    `✔ no dependency violations, no folder-level cycle (${totalCruised} modules, ${totalDependenciesCruised} dependencies; ${layers})`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
