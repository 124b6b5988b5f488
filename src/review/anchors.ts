/** Element ids shared by the report and the page, so links from one part to another hold. */

const slug = (s: string) => s.replace(/[^a-zA-Z0-9_-]+/g, '-');

/** A criterion's detail: `#c-ftworks-offerings-sla-policy-defined`. */
export const criterionAnchor = (model: string, layer: string, id: string): string =>
  `c-${slug(model)}-${slug(layer)}-${slug(id)}`;

/** A metric's evidence row: `#m-sla-attainment`. */
export const metricAnchor = (metricId: string): string => `m-${slug(metricId)}`;

/** A layer's detail: `#l-ftworks-offerings`. */
export const layerAnchor = (model: string, layer: string): string =>
  `l-${slug(model)}-${slug(layer)}`;

/** The short name of a layer for lists: "Offerings (support plans)" → "Offerings". */
export const shortLayerName = (name: string): string => name.replace(/\s*\([^)]*\)\s*$/, '');
