// The reference JavaScript parser of the Prometheus text exposition format (no types of its own).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parse = require('parse-prometheus-text-format') as (text: string) => MetricFamily[];

export interface MetricFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
  }[];
}

/** Parses a scrape strictly: the parser throws on malformed lines; every family must have a known type. */
export function parsePrometheus(text: string): Map<string, MetricFamily> {
  const families = parse(text);
  for (const f of families) {
    if (!['COUNTER', 'GAUGE', 'HISTOGRAM', 'SUMMARY', 'UNTYPED'].includes(f.type))
      throw new Error(`family ${f.name} has type ${f.type}`);
  }
  return new Map(families.map((f) => [f.name, f]));
}

export async function scrape(
  url: string,
): Promise<{ contentType: string | null; families: Map<string, MetricFamily>; text: string }> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const text = await res.text();
  return { contentType: res.headers.get('content-type'), families: parsePrometheus(text), text };
}
