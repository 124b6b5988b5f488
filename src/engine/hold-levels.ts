import type { LayerSuggestion, SnapshotBody } from '../domain/evidence.js';

/**
 * A partial snapshot (some sources failed) must not lower a level just because evidence went
 * missing: where the level fell and nothing between the two levels is unmet — only unknown — the
 * previous level is kept and the layer says so.
 */
export function holdLevels(
  layers: LayerSuggestion[],
  previous: SnapshotBody | undefined,
): LayerSuggestion[] {
  if (!previous) return layers;
  return layers.map((l) => {
    const before = previous.layers.find((p) => p.model === l.model && p.layer === l.layer);
    if (!before || before.level <= l.level) return l;
    const between = l.criteria.filter((c) => c.level > l.level && c.level <= before.level);
    if (between.some((c) => c.status === 'unmet')) return l;
    return {
      ...l,
      level: before.level,
      levelName: before.levelName,
      possibleLevel: Math.max(l.possibleLevel, before.level),
      possibleLevelName: l.possibleLevel >= before.level ? l.possibleLevelName : before.levelName,
      heldFromPrevious: true,
    };
  });
}
