/** Milliseconds per unit of a Go duration (`time.ParseDuration`). */
const UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const GO_DURATION = /^((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;

/**
 * A duration written the Go way ("90s", "1m30s", "1.5h", "500ms"), as Kubernetes tools and
 * Crossplane's annotations write them, in milliseconds; undefined when it is not one.
 */
export const parseGoDuration = (text: string): number | undefined => {
  if (!GO_DURATION.test(text)) return undefined;
  let millis = 0;
  for (const [, value, , unit] of text.matchAll(/(\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) millis += Number(value) * (UNITS[unit ?? ""] ?? 0);
  return millis;
};
