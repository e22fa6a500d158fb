/** Reads the controller's Prometheus metrics and sums series by name and label match. */
export interface MetricsSnapshot {
  /** Sum of every series of `name` whose labels include all of `labels`, or satisfy `labels` when it is a test. */
  sum(name: string, labels?: Readonly<Record<string, string>> | ((labels: Readonly<Record<string, string>>) => boolean)): number;
}

const parseLabels = (text: string): Record<string, string> =>
  Object.fromEntries([...text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((match) => [match[1], match[2]]));

/** Fetches and parses a /metrics page. */
export const scrape = async (url: string): Promise<MetricsSnapshot> => {
  const text = await (await fetch(url)).text();
  const series = text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
      return match === null ? undefined : { name: match[1]!, labels: parseLabels(match[3] ?? ""), value: Number(match[4]) };
    })
    .filter((entry) => entry !== undefined);
  return {
    sum: (name, labels = {}) =>
      series
        .filter(
          (entry) =>
            entry.name === name &&
            (typeof labels === "function" ? labels(entry.labels) : Object.entries(labels).every(([key, value]) => entry.labels[key] === value)),
        )
        .reduce((total, entry) => total + entry.value, 0),
  };
};
